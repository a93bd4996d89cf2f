// The service runs v0.9.0 (revision 1). ECR holds v0.8.0 (in no revision), v0.9.0, and the images the two
// releases will deploy (the deploy goals take them with -Decs.image; push-image is not bound). A second service
// has only ever run one release.
import io.github.ecsdeploy.it.ItStandIn

// The invoker filters only the pom.xml of an IT's own directory, and this one has none: set the plugin version
// of service/pom.xml from the plugin descriptor of this build.
def descriptor = new groovy.xml.XmlSlurper().parse(new File(basedir, '../../classes/META-INF/maven/plugin.xml'))
def servicePom = new File(basedir, 'service/pom.xml')
servicePom.text = servicePom.text.replace('@project.version@', descriptor.version.text())

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.seedService('its-rbnp', 'its-rbnp-svc', 'app', ItStandIn.image('its-rbnp', 'v0.9.0'))
  ['v0.8.0', 'v0.9.0', 'v1.0.0', 'v1.0.1'].each { tag ->
    aws.putImage('its-rbnp', tag, ItStandIn.digest("its-rbnp:${tag}"))
    assert ItStandIn.image('its-rbnp', tag).endsWith(ItStandIn.digest("its-rbnp:${tag}"))
  }
  def solo = aws.registerTaskDefinition('its-rbnp-solo', 'app', ItStandIn.image('its-rbnp', 'v0.9.0'))
  aws.createService('its-rbnp', 'its-rbnp-solo', solo)
  aws.waitSteady('its-rbnp', 'its-rbnp-solo')
  assert !new File(basedir, 'pom.xml').exists() : 'this directory must have no project'
} finally {
  aws.close()
}
return true

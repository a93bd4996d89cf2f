// The service runs v1.0.1 (revision 3) after two releases: v0.9.0 (revision 1), then v1.0.0 (revision 2), then
// v1.0.1, each rolled out to steady. ECR holds v0.8.0 (in no revision), v0.9.0, v1.0.0 and v1.0.1. A second service
// has only ever run one release. The releases are seeded here, as the revisions register-task-def derives from the
// running one (same family and container, the image pinned by digest): full release builds with a project are
// covered by service-profile and redeploy-older-tag; this IT is about the goals that need none.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.seedService('its-rbnp', 'its-rbnp-svc', 'app', ItStandIn.image('its-rbnp', 'v0.9.0'))
  ['v0.8.0', 'v0.9.0', 'v1.0.0', 'v1.0.1'].each { tag ->
    aws.putImage('its-rbnp', tag, ItStandIn.digest("its-rbnp:${tag}"))
    assert ItStandIn.image('its-rbnp', tag).endsWith(ItStandIn.digest("its-rbnp:${tag}"))
  }
  ['v1.0.0', 'v1.0.1'].eachWithIndex { tag, i ->
    def arn = aws.registerTaskDefinition('its-rbnp', 'app', ItStandIn.image('its-rbnp', tag))
    assert arn == ItStandIn.taskDefinitionArn('its-rbnp', i + 2)
    aws.deploy('its-rbnp', 'its-rbnp-svc', arn)
  }
  def solo = aws.registerTaskDefinition('its-rbnp-solo', 'app', ItStandIn.image('its-rbnp', 'v0.9.0'))
  aws.createService('its-rbnp', 'its-rbnp-solo', solo)
  aws.waitSteady('its-rbnp', 'its-rbnp-solo')
  assert !new File(basedir, 'pom.xml').exists() : 'this directory must have no project'
} finally {
  aws.close()
}
return true

// push-image found the main class of a Spring Boot service with no Jib configuration, and built what
// jib-maven-plugin builds from the same project.
import io.github.ecsdeploy.it.ItImages
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def log = ItLog.read(basedir)
def aws = ItStandIn.connect(standInEndpointFile)
try {
  def digest = aws.pushedDigest('its-boot', 'v1.0.0')
  assertInOrder(log.run(1),
      ':push-image (default-cli) @ its-boot',
      "[WARNING] 'mainClass' configured in maven-jar-plugin is not a valid Java class: \${start-class}",
      'Main class: demo.shop.ShopApplication',
      "Pushed ${aws.registry()}/its-boot:v1.0.0 with digest ${digest}",
      'BUILD SUCCESS')

  def ours = ItImages.pushed(aws, 'its-boot', 'v1.0.0')
  assert ours.config().Entrypoint == ['java', '-cp', '@/app/jib-classpath-file', 'demo.shop.ShopApplication']
  assert !ours.config().toString().contains('start-class')
  assert ours.file('app/jib-main-class-file') == 'demo.shop.ShopApplication'
  def classpath = ours.file('app/jib-classpath-file').split(':') as List
  assert classpath[0..1] == ['/app/resources', '/app/classes']
  assert classpath.any { it ==~ /\/app\/libs\/spring-boot-3\.5\.7\.jar/ }
  assert ours.entries()[0].any { it.startsWith('app/libs/spring-webmvc-') } : 'dependencies layer'
  assert ours.entries().any { it.contains('app/classes/demo/shop/ShopApplication.class') }
  assert ours.entries().any { it.contains('app/resources/application.properties') }

  // jib-maven-plugin 3.5.2 from the same project
  assertInOrder(log.run(2), ':3.5.2:buildTar (default-cli) @ its-boot', 'Built image tarball at ', 'BUILD SUCCESS')
  def jib = ItImages.jibTar(new File(basedir, 'target/jib-image.tar'))
  ['Entrypoint', 'Cmd', 'Env', 'User', 'WorkingDir'].each { key ->
    assert ours.config()[key] == jib.config()[key] : "${key}: ours ${ours.config()[key]}, jib ${jib.config()[key]}"
  }
  assert ItImages.keys(ours.config().ExposedPorts) == ItImages.keys(jib.config().ExposedPorts)
  assert ItImages.keys(ours.config().Volumes) == ItImages.keys(jib.config().Volumes)
  assert (ours.config().Labels ?: [:]) == (jib.config().Labels ?: [:])
  assert ours.architecture() == jib.architecture()
  assert ours.layers() == jib.layers() : 'the same layers, entries and modes, in the same order'
  assert ours.files() == jib.files() : 'the same classpath and main-class files'
  assert ours.layerDigests() == jib.layerDigests() : 'byte for byte the same layers'
} finally {
  aws.close()
}
return true

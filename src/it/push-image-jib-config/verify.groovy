// push-image read the Jib configuration as jib-maven-plugin does (expressions resolved, -Djib.* over the POM),
// in both containerizing modes, and built what jib:buildTar builds from the same project and properties.
import io.github.ecsdeploy.it.ItImages
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def log = ItLog.read(basedir)
assert log.runs().size() == 4

def compare(ours, jib) {
  ['Entrypoint', 'Cmd', 'Env', 'User', 'WorkingDir', 'Labels'].each { key ->
    assert ours.config()[key] == jib.config()[key] : "${key}: ours ${ours.config()[key]}, jib ${jib.config()[key]}"
  }
  assert ItImages.keys(ours.config().ExposedPorts) == ItImages.keys(jib.config().ExposedPorts)
  assert ItImages.keys(ours.config().Volumes) == ItImages.keys(jib.config().Volumes)
  assert ours.layers() == jib.layers() : 'the same layers, entries and modes, in the same order'
  assert ours.files() == jib.files()
  assert ours.layerDigests() == jib.layerDigests() : 'byte for byte the same layers'
}

def aws = ItStandIn.connect(standInEndpointFile)
try {
  [1, 3].each { run ->
    assert !log.run(run).contains('[WARNING] jib-maven-plugin') : 'every element of this configuration is honoured'
    assert !log.run(run).contains('Searching for the main class') : 'the configured ${start-class} was resolved'
  }

  def exploded = ItImages.pushed(aws, 'its-jib-config', 'v1.0.0')
  assert exploded.config().Entrypoint ==
      ['java', '-XX:MaxRAMPercentage=75', '-cp', '@/app/jib-classpath-file', 'demo.shop.ShopApplication']
  assert exploded.config().Env.contains('SHOP_MODE=property') : 'the property wins over the POM'
  assert !exploded.config().Env.contains('SPRING_PROFILES_ACTIVE=ecs') : 'a property replaces the whole map, as in Jib'
  assert exploded.config().Labels == [team: 'shop']
  assert exploded.config().User == '1000:1000'
  assert exploded.config().WorkingDir == '/srv'
  assert ItImages.keys(exploded.config().ExposedPorts) == ['8080/tcp', '9090/udp']
  def extra = exploded.layers()[-1]
  assert extra['opt/shop/bin/health.sh'] == 0755 && extra['opt/shop/README'] == 0644
  compare(exploded, ItImages.jibTar(new File(basedir, 'target/jib-exploded.tar')))

  def packaged = ItImages.pushed(aws, 'its-jib-config', 'v1.0.1')
  assert packaged.config().Entrypoint ==
      ['java', '-Xss512k', '-cp', '@/app/jib-classpath-file', 'demo.shop.ShopApplication']
  assert packaged.config().Env.contains('SHOP_MODE=pom') && packaged.config().Labels == [service: 'its-jib-config']
  assert packaged.file('app/jib-classpath-file').startsWith('/app/classpath/*:/app/libs/')
  assert packaged.entries().any { it.contains('app/classpath/its-jib-config-1.0.0.jar') }
  assert !packaged.entries().any { layer -> layer.any { it.startsWith('app/classes/') } }
  compare(packaged, ItImages.jibTar(new File(basedir, 'target/jib-packaged.tar')))
} finally {
  aws.close()
}
return true

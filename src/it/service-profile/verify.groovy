// Two tag pipelines, v1.0.0 then v1.0.1: each validated the tag before compiling, packaged, skipped the Maven
// repository deploy, pushed the image with Jib, registered a revision pinned to the pushed digest and waited for
// that revision's deployment.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def log = ItLog.read(basedir)
assert log.runs().size() == 2

def aws = ItStandIn.connect(standInEndpointFile)
try {
  def registry = aws.registry()
  def pushed = ['v1.0.0': aws.pushedDigest('its-profile', 'v1.0.0'), 'v1.0.1': aws.pushedDigest('its-profile', 'v1.0.1')]
  assert pushed['v1.0.0'] != pushed['v1.0.1'] : 'the version resource differs, so the images differ'
  assert aws.images('its-profile') == [(pushed['v1.0.0']): ['v1.0.0'], (pushed['v1.0.1']): ['v1.0.1']]

  [[1, 'v1.0.0', 'v0.9.0', 2], [2, 'v1.0.1', 'v1.0.0', 3]].each { run, tag, before, revision ->
    def text = log.run(run)
    def image = "${registry}/its-profile:${tag}"
    def pinned = "${image}@${pushed[tag]}"
    assertInOrder(text,
        ':validate-tag (ecs-validate) @ its-profile',
        "Validating release tag '${tag}' (from <tag> / -Decs.tag)",
        "runs ${before}; ${tag} is newer.",
        "Tag ${tag} may deploy.",
        'compiler:3.14.0:compile (default-compile)',
        'surefire:3.5.4:test (default-test)',
        "Building jar: ",
        'install:3.1.4:install',
        'deploy:3.1.4:deploy (default-deploy)',
        'Skipping artifact deployment',
        ':push-image (ecs-deploy) @ its-profile',
        "Building and pushing ${image} with Jib",
        "Pushed ${image} with digest ${pushed[tag]}",
        "Image ${pinned} (pushed) -> target/ecs-deploy/image.json",
        ':register-task-def (ecs-deploy) @ its-profile',
        "Registered task definition its-profile:${revision} (container app, image ${pinned})",
        ':update-service (ecs-deploy) @ its-profile',
        "Started deployment ",
        "of its-profile:${revision} COMPLETED: 2/2 running",
        'BUILD SUCCESS')
    assert ItLog.count(text, ':validate-tag (') == 1
    assert ItLog.count(text, ':push-image (') == 1
    assert ItLog.count(text, ':register-task-def (') == 1
    assert ItLog.count(text, ':update-service (') == 1
    assert !text.contains('[WARNING] jib-maven-plugin') : 'the Jib configuration is used without warnings'
  }

  def image = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/ecs-deploy/image.json'))
  assert image.image == "${registry}/its-profile:v1.0.1".toString()
  assert image.digest == pushed['v1.0.1']
  assert image.tags == ['v1.0.1']
  assert image.result == 'pushed'

  def pinned = "${registry}/its-profile:v1.0.1@${pushed['v1.0.1']}".toString()
  def deployment = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/ecs-deploy/deployment.json'))
  assert deployment.outcome == 'COMPLETED'
  assert deployment.taskDefinitionArn == ItStandIn.taskDefinitionArn('its-profile', 3)
  assert deployment.image == pinned

  def service = aws.service('its-profile', 'its-profile-svc')
  assert service.taskDefinition() == ItStandIn.taskDefinitionArn('its-profile', 3)
  assert aws.runningImage('its-profile', 'its-profile-svc', 'app') == pinned
  assert service.deployments().size() == 1
  assert service.deployments()[0].rolloutStateAsString() == 'COMPLETED'
  assert service.runningCount() == 2
  assert aws.revisions('its-profile') == (1..3).collect { ItStandIn.taskDefinitionArn('its-profile', it) }
  assert aws.imageOf(ItStandIn.taskDefinitionArn('its-profile', 2), 'app') ==
      "${registry}/its-profile:v1.0.0@${pushed['v1.0.0']}".toString()
} finally {
  aws.close()
}
return true

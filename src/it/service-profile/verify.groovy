// Two tag pipelines, v1.0.0 then v1.0.1: each validated the tag before compiling, packaged, skipped the Maven
// repository deploy, registered a revision with the release image and waited for that revision's deployment.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def log = ItLog.read(basedir)
assert log.runs().size() == 2

[[1, 'v1.0.0', 'v0.9.0', 2], [2, 'v1.0.1', 'v1.0.0', 3]].each { run, tag, before, revision ->
  def text = log.run(run)
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
      ':register-task-def (ecs-deploy) @ its-profile',
      "Registered task definition its-profile:${revision} (container app, image ${ItStandIn.image('its-profile', tag)})",
      ':update-service (ecs-deploy) @ its-profile',
      "Started deployment ",
      "of its-profile:${revision} COMPLETED: 2/2 running",
      'BUILD SUCCESS')
  assert ItLog.count(text, ':validate-tag (') == 1
  assert ItLog.count(text, ':register-task-def (') == 1
  assert ItLog.count(text, ':update-service (') == 1
}

def deployment = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/ecs-deploy/deployment.json'))
assert deployment.outcome == 'COMPLETED'
assert deployment.taskDefinitionArn == ItStandIn.taskDefinitionArn('its-profile', 3)
assert deployment.image == ItStandIn.image('its-profile', 'v1.0.1')

def aws = ItStandIn.connect(standInEndpointFile)
try {
  def service = aws.service('its-profile', 'its-profile-svc')
  assert service.taskDefinition() == ItStandIn.taskDefinitionArn('its-profile', 3)
  def image = aws.runningImage('its-profile', 'its-profile-svc', 'app')
  assert image == ItStandIn.image('its-profile', 'v1.0.1')
  assert image ==~ /.*\/its-profile:v1\.0\.1@sha256:[0-9a-f]{64}/
  assert service.deployments().size() == 1
  assert service.deployments()[0].rolloutStateAsString() == 'COMPLETED'
  assert service.runningCount() == 2
  assert aws.revisions('its-profile') == (1..3).collect { ItStandIn.taskDefinitionArn('its-profile', it) }
  assert aws.imageOf(ItStandIn.taskDefinitionArn('its-profile', 2), 'app') == ItStandIn.image('its-profile', 'v1.0.0')
} finally {
  aws.close()
}
return true

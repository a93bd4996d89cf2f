// Without a circuit breaker ECS never fails the crashing rollout: the build failed as TIMED_OUT, said why the
// tasks stopped, and ECS is still working on the deployment.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def text = ItLog.read(basedir).text()
assertInOrder(text,
    'Tag v1.1.0 may deploy.',
    'Registered task definition its-timeout:2',
    'Started deployment ',
    'Stopped tasks of deployment ',
    'container app: exit code 1',
    'BUILD FAILURE',
    ':update-service (ecs-deploy) on project its-timeout: Deployment ',
    ' of its-timeout:2 did not finish within 4s',
    'ECS keeps working on the deployment; this build stopped waiting.')
assert !text.contains('rolled back') : 'no rollback happened'

def deployment = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/ecs-deploy/deployment.json'))
assert deployment.outcome == 'TIMED_OUT'
assert deployment.taskDefinitionArn == ItStandIn.taskDefinitionArn('its-timeout', 2)
assert new File(basedir, 'target/ecs-deploy/deploy.env').text.contains('ECS_DEPLOYMENT_OUTCOME=TIMED_OUT\n')

def aws = ItStandIn.connect(standInEndpointFile)
try {
  // ECS keeps trying: the service still points at the new revision, with the old deployment beside it
  assert aws.taskDefinitionOf('its-timeout', 'its-timeout-svc') == ItStandIn.taskDefinitionArn('its-timeout', 2)
  assert aws.deployments('its-timeout', 'its-timeout-svc').size() == 2
} finally {
  aws.close()
}
return true

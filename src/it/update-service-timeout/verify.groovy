// Without a circuit breaker ECS never fails the crashing rollout: the build failed as TIMED_OUT, said why the
// tasks stopped, and ECS is still working on the deployment.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import io.github.ecsdeploy.it.ItVerify
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

ItVerify.assertOutcome(basedir, 'TIMED_OUT', ItStandIn.taskDefinitionArn('its-timeout', 2))

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  // ECS keeps trying: the service still points at the new revision, with the old deployment beside it
  aws.assertRuns('its-timeout', 'its-timeout-svc', 'its-timeout', 2)
  assert aws.deployments('its-timeout', 'its-timeout-svc').size() == 2
}
return true

// The circuit breaker rolled v1.1.0 back: the build failed naming revision 1, and the service runs it again.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import io.github.ecsdeploy.it.ItVerify
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def text = ItLog.read(basedir).text()
assertInOrder(text,
    'Tag v1.1.0 may deploy.',
    "Registered task definition its-rollback:2 (container app, image ${ItStandIn.image('its-rollback', 'v1.1.0')})",
    'Started deployment ',
    'Stopped tasks of deployment ',
    '(its-rollback:2) stopped [EssentialContainerExited]: Essential container in task exited',
    'container app: exit code 1',
    'BUILD FAILURE',
    ':update-service (ecs-deploy) on project its-rollback: Deployment ',
    // the rollback target is named by its revision, whether DescribeServices lists the rollback deployment yet
    // (its deployment id) or not (its service revision, through DescribeServiceRevisions)
    ' of its-rollback:2 FAILED: ECS deployment circuit breaker: tasks failed to start. ECS rolled back to'
        + ' its-rollback:1 (')

ItVerify.assertOutcome(basedir, 'ROLLED_BACK', ItStandIn.taskDefinitionArn('its-rollback', 2))

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  def service = aws.waitSteady('its-rollback', 'its-rollback-svc')
  assert service.taskDefinition() == ItStandIn.taskDefinitionArn('its-rollback', 1)
  assert aws.runningImage('its-rollback', 'its-rollback-svc', 'app') == ItStandIn.image('its-rollback', 'v1.0.0')
  assert aws.revisions('its-rollback').size() == 2
  def events = aws.events('its-rollback', 'its-rollback-svc')
  assert events.any { it.contains('deployment failed: tasks failed to start.') } : events
  assert events.any { it.contains('rolling back to deployment') } : events
}
return true

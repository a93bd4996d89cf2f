// The migration never stopped: the build failed at ecs.runTask.timeout naming the stop-task command, printed
// the output seen so far, and deployed nothing.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import io.github.ecsdeploy.it.ItVerify
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def text = ItLog.read(basedir).text()
assertInOrder(text,
    'Started task arn:aws:ecs:us-east-1:123456789012:task/run-task-timeout/',
    ': RUNNING (',
    '[app] Waiting for the schema lock',
    'BUILD FAILURE',
    ':run-task (migrate) on project run-task-timeout: Task arn:aws:ecs:us-east-1:123456789012:task/run-task-timeout/',
    ' is still RUNNING after 4s (<runTaskTimeout> / -Decs.runTask.timeout). ECS keeps running it; stop it with',
    "'aws ecs stop-task --cluster run-task-timeout --task arn:aws:ecs:us-east-1:123456789012:task/run-task-timeout/",
    'nothing was deployed.')
assert !text.contains('STOPPED:') : 'the task never stopped'

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  ItVerify.assertNothingDeployed(text, aws, 'run-task-timeout')
}
return true

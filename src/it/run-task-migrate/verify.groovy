// The migration ran as a one-off task of the new revision with the command override, its output and exit code
// were printed, and only then did update-service deploy the revision.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def text = ItLog.read(basedir).text()
assertInOrder(text,
    'Registered task definition run-task-migrate:2',
    ':run-task (migrate) @ run-task-migrate',
    'Started task arn:aws:ecs:us-east-1:123456789012:task/run-task-migrate/',
    ' of run-task-migrate:2 (container app, command [java, -cp, @/app/jib-classpath-file, demo.Migrate, --to, V7]',
    'Following the output of container app (CloudWatch Logs group /ecs/run-task-migrate, stream ecs/app/',
    '[app] Migrating schema to V7',
    '[app] Migration done: 2 applied',
    'STOPPED: Essential container in task exited (EssentialContainerExited)',
    'container app (essential): exit code 0',
    'succeeded: every essential container exited with 0.',
    ':update-service (ecs-rollout) @ run-task-migrate',
    'Started deployment ',
    'BUILD SUCCESS')
assert text.count('[app] Migrating schema to V7') == 1 : 'each log line printed once'

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.assertRuns('run-task-migrate', 'run-task-migrate-svc', 'run-task-migrate', 2)
}
return true

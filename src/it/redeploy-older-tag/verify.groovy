// The v1.0.0 pipeline re-run while v1.0.1 runs is a rollback: nothing pushed, nothing registered, v1.0.0's
// revision runs. A never-released older tag is refused. The dry run changes nothing and masks the values.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def log = ItLog.read(basedir)
assert log.runs().size() == 5 : log.runs().size()
def rev = { n -> ItStandIn.taskDefinitionArn('its-redeploy', n) }

def aws = ItStandIn.connect(standInEndpointFile)
try {
  def pushed = aws.images('its-redeploy')
  assert pushed.size() == 2 : "only v1.0.0 and v1.0.1 were ever pushed: ${pushed}"
  def v100 = aws.pushedDigest('its-redeploy', 'v1.0.0')

  // 3: the re-run of v1.0.0
  assertInOrder(log.run(3),
      "This is a rollback: v1.0.0 is older than v1.0.1",
      "ECR already holds v1.0.0 (${v100})",
      'Tag v1.0.0 may deploy.',
      'Tag v1.0.0 is a rollback to a released version (validate-tag): ECR holds',
      "with digest ${v100}; that image is deployed as released, nothing is built or pushed.",
      '(already present) -> ',
      "Reusing task definition its-redeploy:2: its container app already runs",
      "Started deployment ",
      "its-redeploy:2 COMPLETED",
      'BUILD SUCCESS')
  assert !log.run(3).contains('Registered task definition')
  assert !log.run(3).contains('building locally to compare digests') : 'a rollback rebuilds nothing'


  // 4: never released
  assertInOrder(log.run(4), 'BUILD FAILURE', 'The tag v0.9.5 is older than v1.0.0',
      'ECR has no image tagged v0.9.5 in its-redeploy: it was never released')

  // 5: the dry run of the whole deploy
  def dry = log.run(5)
  assertInOrder(dry,
      'Tag v1.1.0 may deploy.',
      'push-image would build ',
      'its-redeploy:v1.1.0 with Jib and push it (ECR has no such tag); nothing is built or pushed.',
      'would register the next revision of its-redeploy',
      '--- its-redeploy:2',
      '+++ request',
      'its-redeploy:v1.1.0",',
      'update-service would deploy the revision register-task-def would register to service its-redeploy-svc',
      'BUILD SUCCESS')
  assert dry.contains('"value" : "(masked)"')
  assert dry.contains('"valueFrom" : "(masked)"')
  assert !log.text().contains('hunter2-its-redeploy') : 'an environment value reached the log'
  assert !log.text().contains('its-redeploy-secret-path') : "a secret's valueFrom reached the log"
  assert !new File(basedir, 'target/ecs-deploy/task-definition.json').text.contains('v1.1.0')

  def service = aws.waitSteady('its-redeploy', 'its-redeploy-svc')
  assert service.taskDefinition() == rev(2) : 'v1.0.0 runs again, and the dry run changed nothing'
  assert aws.revisions('its-redeploy').size() == 3 : aws.revisions('its-redeploy')
  assert aws.images('its-redeploy') == pushed
} finally {
  aws.close()
}
return true

// ecs:status and ecs:rollback in a directory without a pom.xml, after releases v1.0.0 (revision 2) and v1.0.1
// (revision 3, seeded): the previous release, a tag with a revision, a tag in ECR in no
// revision (registered as revision 4, pinned by digest), refusals and a dry run that change nothing.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def log = ItLog.read(basedir)
assert log.runs().size() == 8 : log.runs().size()
def rev = { n -> "its-rbnp:${n}" }
def img = { tag -> ItStandIn.image('its-rbnp', tag) }

// 1: status as text: what runs, how it got there, what rollback would pick (no history API: the fallback)
assertInOrder(log.run(1),
    ':status (default-cli) @ standalone-pom',
    'Service its-rbnp-svc in cluster its-rbnp (ACTIVE): 2 running / 2 desired / 0 pending',
    "Runs ${rev(3)}: container app, image ${img('v1.0.1')}",
    "  tag v1.0.1, digest ${ItStandIn.digest('its-rbnp:v1.0.1')}",
    'Last deployments (from ',
    "ecs:rollback would deploy ${rev(2)} (image ${img('v1.0.0')}, tag v1.0.0)",
    'BUILD SUCCESS')

// 2: the same as JSON on standard output
def run2 = log.run(2)
def json = run2.substring(run2.indexOf('{'), run2.lastIndexOf('}') + 1)
def status = new groovy.json.JsonSlurper().parseText(json)
assert status.service == 'its-rbnp-svc'
assert status.runningCount == 2 && status.desiredCount == 2
assert status.current.taskDefinitionArn == ItStandIn.taskDefinitionArn('its-rbnp', 3)
assert status.current.tag == 'v1.0.1'
assert status.rollbackTarget.taskDefinitionArn == ItStandIn.taskDefinitionArn('its-rbnp', 2)
assert status.deployments.size() >= 1

// 3: the previous release
assertInOrder(log.run(3),
    "  from ${rev(3)} (image ${img('v1.0.1')}, tag v1.0.1)",
    "  to   ${rev(2)} (image ${img('v1.0.0')}, tag v1.0.0)",
    'Started deployment ',
    'BUILD SUCCESS')
// 4: a tag whose revision exists
assertInOrder(log.run(4), "  to   ${rev(3)} (image ${img('v1.0.1')}", 'Started deployment ', 'BUILD SUCCESS')
assert !log.run(4).contains('Registered task definition')
// 5: a tag in ECR, in no revision
def pinned = "123456789012.dkr.ecr.us-east-1.amazonaws.com/its-rbnp:v0.8.0@${ItStandIn.digest('its-rbnp:v0.8.0')}"
assertInOrder(log.run(5),
    "  to   a new revision (image ${pinned}, tag v0.8.0)",
    "Registered task definition ${rev(4)} (container app, image ${pinned})",
    'Started deployment ',
    'BUILD SUCCESS')
// 6: never released
assertInOrder(log.run(6), 'BUILD FAILURE',
    'The tag v0.7.0 (<rollbackTo> / -Decs.rollback.to) is not in the ECR repository its-rbnp',
    'Nothing was changed.')
// 7: dry run
assertInOrder(log.run(7), "  to   ${rev(3)} (image ${img('v1.0.1')}",
    "would deploy ${rev(3)} and wait for it. Nothing was changed.", 'BUILD SUCCESS')
// 8: nothing to go back to
assertInOrder(log.run(8), 'BUILD FAILURE', 'Service its-rbnp-solo has nothing to roll back to', 'Nothing was changed.')

// The outputs are those of the last rollback that deployed (5).
def deployment = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/ecs-deploy/deployment.json'))
assert deployment.outcome == 'COMPLETED'
assert deployment.taskDefinitionArn == ItStandIn.taskDefinitionArn('its-rbnp', 4)
assert deployment.rollbackFrom == ItStandIn.taskDefinitionArn('its-rbnp', 3)
def env = new File(basedir, 'target/ecs-deploy/deploy.env').text
assert env.contains("ECS_ROLLBACK_FROM=${ItStandIn.taskDefinitionArn('its-rbnp', 3)}\n") : env

def aws = ItStandIn.connect(standInEndpointFile)
try {
  def service = aws.waitSteady('its-rbnp', 'its-rbnp-svc')
  assert service.taskDefinition() == ItStandIn.taskDefinitionArn('its-rbnp', 4) : 'the refusal and the dry run changed nothing'
  assert aws.runningImage('its-rbnp', 'its-rbnp-svc', 'app') == pinned
  assert aws.revisions('its-rbnp').size() == 4
  assert aws.taskDefinitionOf('its-rbnp', 'its-rbnp-solo') == ItStandIn.taskDefinitionArn('its-rbnp-solo', 1)
  assert aws.revisions('its-rbnp-solo').size() == 1
} finally {
  aws.close()
}
return true

// Each invocation ran exactly the one goal it named; together they deployed revision 2 with v2.0.0.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder
import static io.github.ecsdeploy.it.ItLog.count

def log = ItLog.read(basedir)
assert log.runs().size() == 3
def goals = ['validate-tag', 'register-task-def', 'update-service']
def ran = { text -> goals.findAll { text.contains(":${it} (default-cli) @ its-single") } }

def register = log.run(1)
assert ran(register) == ['register-task-def']
assertInOrder(register,
    'Using task definition its-single:1 that service its-single-svc runs now in cluster its-single as the template',
    "Registered task definition its-single:2 (container app, image ${ItStandIn.image('its-single', 'v2.0.0')})",
    'BUILD SUCCESS')

def update = log.run(2)
assert ran(update) == ['update-service']
assert !update.contains('task-definition.json)') : 'the revision must come from -Decs.taskDefinitionArn'
assertInOrder(update,
    'Started deployment ', 'of its-single:2 on service its-single-svc in cluster its-single.',
    'of its-single:2 COMPLETED: 2/2 running',
    'BUILD SUCCESS')

def validate = log.run(3)
assert ran(validate) == ['validate-tag']
assertInOrder(validate,
    "Validating release tag 'v2.0.0' (from <tag> / -Decs.tag)",
    'ECR repository its-single has no v2.0.0 yet',
    'runs v2.0.0 already: deploying it again is a re-run.',
    'Tag v2.0.0 may deploy.',
    'BUILD SUCCESS')

log.runs().each { text ->
  assert !text.contains('maven-install-plugin') && !text.contains('install:3.1.4') : 'a lifecycle phase ran'
  assert count(text, '(default-cli) @ its-single') == 1
}

def deployment = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/ecs-deploy/deployment.json'))
assert deployment.outcome == 'COMPLETED'
assert deployment.taskDefinitionArn == ItStandIn.taskDefinitionArn('its-single', 2)

def aws = ItStandIn.connect(standInEndpointFile)
try {
  assert aws.taskDefinitionOf('its-single', 'its-single-svc') == ItStandIn.taskDefinitionArn('its-single', 2)
  assert aws.runningImage('its-single', 'its-single-svc', 'app') == ItStandIn.image('its-single', 'v2.0.0')
  assert aws.revisions('its-single').size() == 2
} finally {
  aws.close()
}
return true

// The worker rolled back: the build failed naming it, the web service is reported as deployed and left on its
// new revision, with the command that would roll it back.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def text = ItLog.read(basedir).text()
assertInOrder(text,
    'Verdict per service:',
    '  services-one-rolls-back-web: COMPLETED',
    '  services-one-rolls-back-worker: FAILED: Deployment ',
    'BUILD FAILURE',
    '1 of 2 services failed: [services-one-rolls-back-worker]. Succeeded: [services-one-rolls-back-web (COMPLETED)].',
    'nothing rolls them back automatically.',
    'mvn ecs:rollback -Decs.cluster=services-one-rolls-back -Decs.service=services-one-rolls-back-web')
assert text.contains('ECS rolled back to services-one-rolls-back-worker:1')

def worker = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/ecs-deploy/services/services-one-rolls-back-worker/deployment.json'))
assert worker.outcome == 'ROLLED_BACK'
def web = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/ecs-deploy/services/services-one-rolls-back-web/deployment.json'))
assert web.outcome == 'COMPLETED'

def env = new File(basedir, 'target/ecs-deploy/deploy.env').text
assert env.contains('ECS_DEPLOYMENT_OUTCOME=FAILED\n')
assert env.contains('ECS_DEPLOYMENT_OUTCOME_SERVICES_ONE_ROLLS_BACK_WORKER=ROLLED_BACK\n')
assert env.contains('ECS_DEPLOYMENT_OUTCOME_SERVICES_ONE_ROLLS_BACK_WEB=COMPLETED\n')

def aws = ItStandIn.connect(standInEndpointFile)
try {
  assert aws.taskDefinitionOf('services-one-rolls-back', 'services-one-rolls-back-web') == ItStandIn.taskDefinitionArn('services-one-rolls-back-web', 2)
  assert aws.taskDefinitionOf('services-one-rolls-back', 'services-one-rolls-back-worker') == ItStandIn.taskDefinitionArn('services-one-rolls-back-worker', 1)
} finally {
  aws.close()
}
return true

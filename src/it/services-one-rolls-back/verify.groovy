// The worker rolled back: the build failed naming it, the web service is reported as deployed and left on its
// new revision, with the command that would roll it back.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import io.github.ecsdeploy.it.ItVerify
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

ItVerify.assertDeployEnv(basedir,
    'ECS_DEPLOYMENT_OUTCOME=FAILED',
    'ECS_DEPLOYMENT_OUTCOME_SERVICES_ONE_ROLLS_BACK_WORKER=ROLLED_BACK',
    'ECS_DEPLOYMENT_OUTCOME_SERVICES_ONE_ROLLS_BACK_WEB=COMPLETED')

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.assertRuns('services-one-rolls-back', 'services-one-rolls-back-web', 'services-one-rolls-back-web', 2)
  aws.assertRuns('services-one-rolls-back', 'services-one-rolls-back-worker', 'services-one-rolls-back-worker', 1)
}
return true

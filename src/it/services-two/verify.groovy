// One build released both services: a revision each with the same image, deployed in parallel, a verdict each.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import io.github.ecsdeploy.it.ItVerify
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def text = ItLog.read(basedir).text()
assertInOrder(text,
    'Registered task definition services-two-web:2',
    'Registered task definition services-two-worker:2',
    'Deploying 2 services in parallel: [services-two-web, services-two-worker]',
    'Verdict per service:',
    '  services-two-web: COMPLETED',
    '  services-two-worker: COMPLETED',
    'BUILD SUCCESS')
assert text.contains('[services-two-web] Started deployment ')
assert text.contains('[services-two-worker] Started deployment ')
// Each success shows the counts of the service deployment that decided it, not those of the shared DescribeServices
// read of both services (up to 1 s older), which printed "COMPLETED: 0/2 running, 2 pending".
['services-two-web', 'services-two-worker'].each { service ->
  assert text =~ /\[${service}\] Deployment \S+ of ${service}:2 COMPLETED: 2\/2 running, 0 pending \(service deployment/ :
      "${service}'s verdict shows other counts"
}

def revisions = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/ecs-deploy/task-definitions.json'))
assert revisions.services.keySet() as List == ['services-two-web', 'services-two-worker']
for (svc in ['services-two-web', 'services-two-worker']) {
  def deployment = new groovy.json.JsonSlurper().parse(new File(basedir, "target/ecs-deploy/services/${svc}/deployment.json"))
  assert deployment.outcome == 'COMPLETED'
  assert deployment.taskDefinitionArn == ItStandIn.taskDefinitionArn(svc, 2)
}

ItVerify.assertDeployEnv(basedir,
    'ECS_SERVICES=services-two-web,services-two-worker',
    'ECS_DEPLOYMENT_OUTCOME=COMPLETED',
    'ECS_DEPLOYMENT_OUTCOME_SERVICES_TWO_WORKER=COMPLETED')
def summary = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/ecs-deploy/deployments.json'))
assert summary.services*.service == ['services-two-web', 'services-two-worker']

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  def image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/services-two:v1.1.0@sha256:' + 'c' * 64
  for (svc in ['services-two-web', 'services-two-worker']) {
    aws.assertRuns('services-two', svc, svc, 2)
    assert aws.imageOf(ItStandIn.taskDefinitionArn(svc, 2), 'app') == image
  }
}
return true

// What exists in the AWS account before the first release: a cluster, an IMMUTABLE ECR repository, and the
// service running v0.9.0 (deployed by hand, before this pipeline existed) with the circuit breaker on.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  def registry = aws.endpoint().host + ':' + aws.endpoint().port
  aws.createCluster('demo')
  aws.createRepository('hello-service')
  def arn = aws.registerTaskDefinition('hello-service', 'app', registry + '/hello-service:v0.9.0')
  aws.createService('demo', 'hello-service', arn)
  aws.waitSteady('demo', 'hello-service')
  println ''
  println '=== Demo: the local AWS stand-in runs at ' + aws.endpoint() + ' (ECS, ECR, registry, STS)'
  println '=== Created cluster demo, ECR repository hello-service (IMMUTABLE), and service hello-service'
  println '=== running ' + aws.runningImage('demo', 'hello-service', 'app')
  println '=== Now: mvn deploy -Pecs for tag v1.0.0, then for tag v1.0.1'
  println ''
} finally {
  aws.close()
}
return true

// After both releases: show what runs now and what ECR holds, and check the demo really deployed v1.0.1.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  def running = aws.runningImage('demo', 'hello-service', 'app')
  def images = aws.ecr().describeImages { it.repositoryName('hello-service') }.imageDetails()
  println ''
  println '=== Done. Service hello-service runs ' + aws.taskDefinitionOf('demo', 'hello-service')
  println '===   image ' + running
  images.sort(false) { it.imagePushedAt() }.each {
    println '=== ECR hello-service: ' + it.imageTags() + ' ' + it.imageDigest() + ' (' + it.imageSizeInBytes() + ' bytes)'
  }
  println '=== Task definition revisions: ' + aws.revisions('hello-service')
  println '=== Outputs of the last release: target/demo/hello-service/target/ecs-deploy/'
  println ''
  def v100 = images.find { it.imageTags().contains('v1.0.0') }
  def v101 = images.find { it.imageTags().contains('v1.0.1') }
  assert v100 != null && v101 != null && v100.imageDigest() != v101.imageDigest() : 'each release is its own image'

  assert v101 != null : 'v1.0.1 was not pushed'
  assert running.endsWith(':v1.0.1@' + v101.imageDigest()) : 'the service does not run v1.0.1 pinned by digest: ' + running
  assert aws.deployments('demo', 'hello-service').size() == 1
} finally {
  aws.close()
}
return true

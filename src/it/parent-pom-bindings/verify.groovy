// The child module inherited the parent's ecs profile: the goals ran in lifecycle order with the parent's
// defaults resolved for the child (service and repository = its artifactId), and only with -Pecs.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def log = ItLog.read(basedir)
assert log.runs().size() == 2

def plain = log.run(1)
assert plain.contains('BUILD SUCCESS')
assert !plain.contains('ecs:') : 'the plugin ran without -Pecs'

def aws = ItStandIn.connect(standInEndpointFile)
try {
  def digest = aws.pushedDigest('its-parent', 'v1.2.0')
  def image = "${aws.registry()}/its-parent:v1.2.0"
  def pinned = "${image}@${digest}".toString()
  def release = log.run(2)
  assertInOrder(release,
      ':validate-tag (ecs-validate) @ its-parent',
      "Validating release tag 'v1.2.0'",
      'ECR repository its-parent has no v1.2.0 yet',
      "service 'its-parent' in cluster 'its-parent'",
      'runs v1.1.0; v1.2.0 is newer.',
      'Tag v1.2.0 may deploy.',
      'compiler:3.14.0:compile (default-compile)',
      'Building jar: ',
      'Skipping artifact deployment',
      ':push-image (ecs-deploy) @ its-parent',
      "Pushed ${image} with digest ${digest}",
      "Image ${pinned} (pushed) -> target/ecs-deploy/image.json",
      ':register-task-def (ecs-deploy) @ its-parent',
      "Registered task definition its-parent:2 (container app, image ${pinned})",
      ':update-service (ecs-deploy) @ its-parent',
      'of its-parent:2 COMPLETED',
      'BUILD SUCCESS')

  assert aws.images('its-parent') == [(digest): ['v1.2.0']]
  assert aws.taskDefinitionOf('its-parent', 'its-parent') == ItStandIn.taskDefinitionArn('its-parent', 2)
  assert aws.runningImage('its-parent', 'its-parent', 'app') == pinned
  assert aws.deployments('its-parent', 'its-parent').size() == 1
} finally {
  aws.close()
}
return true

// push-image refused to replace v1.0.0 before uploading anything; nothing after it ran, nothing changed.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def other = ItStandIn.digest('another build of v1.0.0')
def text = ItLog.read(basedir).text()
assertInOrder(text,
    ':validate-tag (ecs-validate) @ its-taken',
    "ECR already has its-taken:v1.0.0 (${other}",
    'Tag v1.0.0 may deploy.',
    ':push-image (ecs-deploy) @ its-taken',
    'Tag v1.0.0 already exists in its-taken; building locally to compare digests before any upload',
    'BUILD FAILURE',
    "Tag v1.0.0 already exists in its-taken with digest ${other}; this build produced sha256:",
    'A pushed tag is never overwritten: bump the version (a new git tag and project version) and release again.',
    'Nothing was uploaded.')
assert !text.contains(':register-task-def (')
assert !text.contains(':update-service (')
assert !new File(basedir, 'target/ecs-deploy/image.json').exists()

def aws = ItStandIn.connect(standInEndpointFile)
try {
  assert aws.images('its-taken') == [(other): ['v1.0.0']]
  assert aws.revisions('its-taken') == [ItStandIn.taskDefinitionArn('its-taken', 1)]
  assert aws.taskDefinitionOf('its-taken', 'its-taken-svc') == ItStandIn.taskDefinitionArn('its-taken', 1)
  assert aws.deployments('its-taken', 'its-taken-svc').size() == 1
} finally {
  aws.close()
}
return true

// Another pipeline deployed v1.1.1 while ours was failing: REPLACED, naming its revision, not a rollback.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import io.github.ecsdeploy.it.ItVerify
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def text = ItLog.read(basedir).text()
assertInOrder(text,
    'Tag v1.1.0 may deploy.',
    'Registered task definition its-replaced:3',
    'Started deployment ',
    'BUILD FAILURE',
    ':update-service (ecs-deploy) on project its-replaced: Deployment ',
    ' of its-replaced:3 ',
    'It was replaced by its-replaced:2 (deployment ')
assert !text.contains('ECS rolled back') : 'a replacement is not a rollback'

ItVerify.assertOutcome(basedir, 'REPLACED')

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  def service = aws.waitSteady('its-replaced', 'its-replaced-svc')
  assert service.taskDefinition() == ItStandIn.taskDefinitionArn('its-replaced', 2) : 'v1.1.1 runs'
}
return true

// The service runs v0.9.0 (revision 1), whose container has an environment value and a secret that a dry run's
// diff must mask; circuit breaker with rollback on. Its ECR repository (IMMUTABLE) is empty.
import io.github.ecsdeploy.it.ItStandIn
import software.amazon.awssdk.services.ecs.model.ContainerDefinition
import software.amazon.awssdk.services.ecs.model.KeyValuePair
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest
import software.amazon.awssdk.services.ecs.model.Secret

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.createCluster('its-redeploy')
  aws.createRepository('its-redeploy')
  def arn = aws.ecs().registerTaskDefinition(RegisterTaskDefinitionRequest.builder()
      .family('its-redeploy')
      .containerDefinitions(ContainerDefinition.builder()
          .name('app')
          .image(ItStandIn.image('its-redeploy', 'v0.9.0'))
          .memory(512)
          .essential(true)
          .environment(KeyValuePair.builder().name('DB_PASSWORD').value('hunter2-its-redeploy').build())
          .secrets(Secret.builder().name('API_KEY')
              .valueFrom('arn:aws:ssm:us-east-1:123456789012:parameter/its-redeploy-secret-path').build())
          .build())
      .build()).taskDefinition().taskDefinitionArn()
  aws.createService('its-redeploy', 'its-redeploy-svc', arn)
  aws.waitSteady('its-redeploy', 'its-redeploy-svc')
} finally {
  aws.close()
}
return true

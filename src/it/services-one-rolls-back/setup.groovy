// The worker's new revision (revision 2 of its family) crashes; the web service's does not.
import io.github.ecsdeploy.it.ItStandIn

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.seedServices('services-one-rolls-back', ItStandIn.image('services-one-rolls-back', 'v1.0.0'), ['services-one-rolls-back-web', 'services-one-rolls-back-worker'])
  aws.failTaskDefinition(ItStandIn.taskDefinitionArn('services-one-rolls-back-worker', 2))
}
return true

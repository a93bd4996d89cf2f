// The worker's new revision (revision 2 of its family) crashes; the web service's does not.
import io.github.ecsdeploy.it.ItStandIn

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.seedServices('services-ordered', ItStandIn.image('services-ordered', 'v1.0.0'), ['services-ordered-web', 'services-ordered-worker'])
  aws.failTaskDefinition(ItStandIn.taskDefinitionArn('services-ordered-worker', 2))
}
return true

// Two services, each running its own family at v1.0.0 of the same image.
import io.github.ecsdeploy.it.ItStandIn

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.seedServices('services-two', ItStandIn.image('services-two', 'v1.0.0'), ['services-two-web', 'services-two-worker'])
}
return true

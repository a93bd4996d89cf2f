// The service runs v1.0.0 without the deployment circuit breaker; every task of v1.1.0 crashes after it started.
import io.github.ecsdeploy.it.ItStandIn

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.seedService('its-timeout', 'its-timeout-svc', 'app', ItStandIn.image('its-timeout', 'v1.0.0'), false)
  aws.failImage(basedir, ItStandIn.image('its-timeout', 'v1.1.0'))
}
return true

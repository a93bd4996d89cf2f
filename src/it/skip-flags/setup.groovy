// The service runs v0.9.0 (revision 1), steady; nothing below may change it.
import io.github.ecsdeploy.it.ItStandIn

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.seedService('its-skip', 'its-skip-svc', 'app', ItStandIn.image('its-skip', 'v0.9.0'))
}
return true

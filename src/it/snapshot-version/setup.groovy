// The service runs v0.9.0 (revision 1), steady; nothing below may change it.
import io.github.ecsdeploy.it.ItStandIn

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.seedService('its-snapshot', 'its-snapshot-svc', 'app', ItStandIn.image('its-snapshot', 'v0.9.0'))
}
return true

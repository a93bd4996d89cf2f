// The service runs v1.0.0 (revision 1); every task of the v1.1.0 image will crash after it started.
import io.github.ecsdeploy.it.ItStandIn

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.seedService('its-rollback', 'its-rollback-svc', 'app', ItStandIn.image('its-rollback', 'v1.0.0'))
  aws.failImage(basedir, ItStandIn.image('its-rollback', 'v1.1.0'))
}
return true

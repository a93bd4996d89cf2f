// The migration task waits for a lock for ever.
import io.github.ecsdeploy.it.ItStandIn

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.seedRunTaskCluster('run-task-timeout', 0, 1000, true, ['Waiting for the schema lock'])
}
return true

// The migration task prints an error and exits with 1.
import io.github.ecsdeploy.it.ItStandIn

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.seedRunTaskCluster('run-task-failing-migration', 1, 1000, false, ['Migrating schema to V7', 'ERROR: column "email" already exists'])
}
return true

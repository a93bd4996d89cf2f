// The migration task prints two lines over 1.5 s and exits with 0.
import io.github.ecsdeploy.it.ItStandIn

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.seedRunTaskCluster('run-task-migrate', 0, 1500, false, ['Migrating schema to V7', 'Migration done: 2 applied'])
}
return true

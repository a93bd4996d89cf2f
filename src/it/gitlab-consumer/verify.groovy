// The consumer job ran as GitLab runs it: OIDC login, GitLab log sections, v1.0.0 deployed, dotenv written.
import io.github.ecsdeploy.it.ItStandIn
import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory

import io.github.ecsdeploy.it.ItLog

def runs = ItLog.read(basedir)
assert runs.runs().size() == 3
def log = runs.run(1)
def debug = runs.run(2)
def full = runs.run(3)
def props = new Properties()
new File(basedir, 'invoker.properties').withInputStream { props.load(it) }
def env = props.findAll { k, v -> k.startsWith('invoker.environmentVariables.') }
    .collectEntries { k, v -> [(k - 'invoker.environmentVariables.'): v] }

// What ran is the job's script line, with its variable expanded.
def job = new ObjectMapper(new YAMLFactory()).readTree(new File(basedir, '.gitlab-ci.yml')).get('deploy')
def script = job.get('script').asText().replace('$AWS_DEPLOY_ROLE_ARN', env['AWS_DEPLOY_ROLE_ARN'])
assert script == 'mvn ' + props.getProperty('invoker.goals.1')
def rule = job.at('/rules/0/if').asText()
assert rule.endsWith(' && $CI_COMMIT_REF_PROTECTED == "true"') : 'only a protected tag deploys: ' + rule
assert env['CI_COMMIT_REF_PROTECTED'] == 'true'
assert env['CI_COMMIT_TAG'] ==~ rule.replaceAll(/^.*=~ \/(.*)\/ && .*$/, '$1')

assert log.contains('BUILD SUCCESS')
// The plugin keeps the SDK's signers at INFO in the way the running Maven reads it: Maven 4 (-Pmaven4) warns on
// every logger when only the Maven 3 property is set.
[log, debug, full].each { run -> assert !run.contains('SLF4J(W)') : run.readLines().find { it.contains('SLF4J(W)') } }
// Jib's caches are in the directory the job caches between pipelines.
assert new File(basedir, '.jib-cache/application-layers').isDirectory()
assert log.contains('credentials from GitLab ID token $GITLAB_OIDC_TOKEN -> role arn:aws:iam::123456789012:role/gitlab-deploy (session gitlab-group-its-gitlab-4242')
assert !log.contains(env['GITLAB_OIDC_TOKEN']) : 'the ID token is in the build log'
assert !log.contains(env['GITLAB_OIDC_TOKEN'].split('\\.')[1]) : 'the ID token payload is in the build log'
['validate-tag', 'push-image', 'register-task-def', 'update-service'].each { goal ->
  // GitLab recognises a marker only with its escape sequences (Jansi strips them from Maven's log in CI).
  // The runner passes \r through; invoker's build.log capture turns it into a line break, hence [\r\n].
  // update-service's section starts expanded: the rollout's progress is what a user watches.
  def options = goal == 'update-service' ? '' : '\\[collapsed=true\\]'
  assert log =~ /(?m)^\u001b\[0Ksection_start:\d+:ecs-${goal}-\d+${options}[\r\n]\u001b\[0Kecs:${goal} \(its-gitlab\)$/ : "no GitLab section for ${goal}"
  assert log =~ /(?m)^\u001b\[0Ksection_end:\d+:ecs-${goal}-\d+[\r\n]\u001b\[0K$/ : "section of ${goal} not closed"
}

// The -X run: single goals with the same role; the revision is reused and the service left alone.
assert debug.contains('[DEBUG] ') && debug.contains('BUILD SUCCESS')
assert debug.contains('credentials from GitLab ID token $GITLAB_OIDC_TOKEN')
assert debug.contains('UNCHANGED') || debug.contains('already runs')
assert !(debug =~ /(?i)x-amz-security-token:\s*\S/) : 'the role session token is in the -X log'
assert !debug.contains(env['GITLAB_OIDC_TOKEN']) : 'the ID token is in the -X log'
assert !(debug =~ /(?i)(SecretAccessKey|SessionToken)["=:>]\s*\S/) : 'STS credentials are in the -X log'

def aws = ItStandIn.connect(standInEndpointFile)
try {
  def digest = aws.pushedDigest('its-gitlab', 'v1.0.0')
  assert aws.runningImage('its-gitlab', 'its-gitlab-svc', 'app') == "${aws.registry()}/its-gitlab:v1.0.0@${digest}".toString()
  def dotenv = new File(basedir, 'target/ecs-deploy/deploy.env').readLines()
  assert log.contains('COMPLETED: 2/2 running') : 'the tag pipeline deployed'
  assert dotenv.contains('ECS_DEPLOYMENT_OUTCOME=UNCHANGED') : 'written again by the -X re-run, which changed nothing'
  assert dotenv.contains('ECS_SERVICE=its-gitlab-svc')
  // environment:url of the job: the service's console page
  assert dotenv.contains('ECS_SERVICE_URL=https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/its-gitlab/services/its-gitlab-svc/health?region=us-east-1')
  assert dotenv.any { it == "ECS_IMAGE=${aws.registry()}/its-gitlab:v1.0.0@${digest}".toString() }

  // The whole build with -X: no secret from this plugin's output, in the log, target/ or a state file. Each
  // log line belongs to the plugin whose "--- prefix:version:goal (execution) @ project ---" header came last.
  // Other plugins that print a secret are listed here and in src/site/markdown/security.md; the
  // list is kept true both ways, so a plugin that starts or stops printing one fails this check.
  def otherPluginsThatPrintSecrets = ['resources'] // maven-resources-plugin prints the environment under -X
  assert full.contains('BUILD SUCCESS') && full.contains('[DEBUG] ')
  def secrets = [:]
  secrets['the ID token'] = env['GITLAB_OIDC_TOKEN']
  secrets['the ID token payload'] = env['GITLAB_OIDC_TOKEN'].split('\\.')[1]
  def sts = aws.stsSecrets()
  assert sts.size() >= 6 : 'the three runs assumed the role: ' + sts.size() / 2 + ' sessions'
  sts.eachWithIndex { s, i -> secrets["STS ${i % 2 == 0 ? 'secret access key' : 'session token'} #${i.intdiv(2) + 1}"] = s }
  def ecr = aws.registrySecrets()
  secrets['the ECR password'] = ecr[0]
  secrets['the ECR authorization token'] = ecr[1]
  assert secrets.values().every { it != null && it.length() >= 20 }

  def owner = 'maven'
  def hits = [:].withDefault { [] }
  full.eachLine { line ->
    def header = line =~ /^\[INFO\] --- ([\w.-]+):[^:\s]+:[\w.-]+ \(/
    if (header.find()) {
      owner = header.group(1)
    }
    secrets.each { name, value ->
      if (line.contains(value)) {
        hits[owner] << name
      }
    }
  }
  assert !hits.containsKey('ecs') : "this plugin printed ${hits['ecs'].unique()} under -X"
  assert hits.keySet() == (otherPluginsThatPrintSecrets as Set) :
      "plugins printing secrets under -X: ${hits.collectEntries { k, v -> [(k): v.unique()] }}; update the list and src/site/markdown/security.md"
  def targetFiles = []
  new File(basedir, 'target').eachFileRecurse(groovy.io.FileType.FILES) { targetFiles << it }
  def stateFiles = targetFiles.findAll { it.path.contains("${File.separator}ecs-deploy${File.separator}") && !it.path.contains("${File.separator}jib${File.separator}") }
  assert stateFiles*.name.containsAll(['image.json', 'task-definition.json', 'deployment.json', 'deploy.env'])
  targetFiles.each { file ->
    def content = new String(file.bytes, 'ISO-8859-1')
    secrets.each { name, value ->
      assert !content.contains(value) : "${name} is in ${file}"
    }
  }
  println "Secrets scan: ${secrets.size()} secrets x (${full.readLines().size()} lines of the -X log + " +
      "${targetFiles.size()} files under target/, ${stateFiles.size()} of them state files): 0 hits from " +
      "ecs-deploy-maven-plugin; other plugins with hits: ${hits.collectEntries { k, v -> [(k): v.unique()] }}"
} finally {
  aws.close()
}
return true

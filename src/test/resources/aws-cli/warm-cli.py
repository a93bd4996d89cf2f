# Runs AWS CLI commands for the tests in one Python interpreter instead of one per command (io.github.ecsdeploy
# .standin.AwsCli). Each command goes through the CLI's own entry point, as the `aws` script calls it: a new
# botocore session, the command's own environment, working directory, standard output and standard error (file
# descriptors 1 and 2 point at the command's files while it runs). Only the interpreter and the imported modules
# are shared, which saves about 1 s of CPU per command (importing the CLI and starting Python).
#
# Protocol: one JSON request per line on standard input {"argv0", "args", "env", "cwd", "out", "err"}; one answer line
# "rc <exit code>" on the original standard output. "ready" is printed once the CLI is imported.
import json
import os
import sys
import traceback

requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
own_errors = os.dup(2)
null = os.open(os.devnull, os.O_RDWR)
os.dup2(null, 0)
os.dup2(null, 1)

import awscli  # noqa: E402 (after the descriptors are set aside)
import awscli.clidriver as clidriver  # noqa: E402

AWSCLI_DATA = os.path.join(os.path.dirname(os.path.abspath(awscli.__file__)), "data")


def command_environment(env):
    """The environment the CLI runs with in a process of its own: importing awscli (its __init__.py, v1 and v2
    alike) appends the CLI's own data directory to AWS_DATA_PATH, after the user's paths, expanded. Here the
    import happened once, so that step is repeated for each command's environment."""
    paths = []
    if "AWS_DATA_PATH" in env:
        for path in env["AWS_DATA_PATH"].split(os.pathsep):
            paths.append(os.path.expanduser(os.path.expandvars(path)))
    paths.append(AWSCLI_DATA)
    env["AWS_DATA_PATH"] = os.pathsep.join(paths)

if hasattr(clidriver, "AWSCLIEntryPoint"):  # CLI v2

    def run(args):
        return clidriver.AWSCLIEntryPoint().main(args)

else:  # CLI v1

    def run(args):
        return clidriver.create_clidriver().main(args)


def exit_code(code):
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


answers.write("ready\n")
answers.flush()
for line in requests:
    request = json.loads(line)
    os.environ.clear()
    os.environ.update(request["env"])
    command_environment(os.environ)
    os.chdir(request["cwd"])
    sys.argv = [request["argv0"]] + request["args"]  # argparse names the program after it, as in a process
    with open(request["out"], "wb") as out, open(request["err"], "wb") as err:
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
        try:
            rc = exit_code(run(request["args"]))
        except SystemExit as e:
            rc = exit_code(e.code)
        except BaseException:  # what an uncaught exception does to the `aws` process: a trace and exit 1
            traceback.print_exc()
            rc = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
            os.dup2(null, 1)
            os.dup2(own_errors, 2)
    answers.write("rc %d\n" % rc)
    answers.flush()

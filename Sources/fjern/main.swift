import App
import FoundationEssentials
import Glibc

exit(await CommandLineInterface.run(CommandLine.arguments, environment: ProcessInfo.processInfo.environment))

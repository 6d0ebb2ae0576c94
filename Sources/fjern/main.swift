import App
import FoundationEssentials
import Glibc

exit(CommandLineInterface.run(CommandLine.arguments, environment: ProcessInfo.processInfo.environment))

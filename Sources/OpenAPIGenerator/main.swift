internal import Foundation

/// `openapi-gen generate|check <openapi.yaml> <outdir> [--import MODULE]`
let arguments = Array(CommandLine.arguments.dropFirst())
func usage() -> Never {
    FileHandle.standardError.write(Data("usage: openapi-gen generate|check <openapi.yaml> <outdir> [--import MODULE]\n".utf8))
    exit(2)
}
guard arguments.count == 3 || (arguments.count == 5 && arguments[3] == "--import"),
      ["generate", "check"].contains(arguments[0]) else { usage() }
let specPath = arguments[1]
let outputDirectory = URL(fileURLWithPath: arguments[2])
let generator = Generator(runtimeModule: arguments.count == 5 ? arguments[4] : nil)
let specFile = URL(fileURLWithPath: specPath).lastPathComponent

let files: [(name: String, contents: String)]
do {
    let text = try String(contentsOfFile: specPath, encoding: .utf8)
    files = try generator.generate(text, file: specFile)
} catch let error as GeneratorError {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
} catch {
    FileHandle.standardError.write(Data("\(specPath): \(error)\n".utf8))
    exit(1)
}

let differing = OutputDirectory.differences(files, in: outputDirectory)
if arguments[0] == "check" {
    if differing.isEmpty { exit(0) }
    for name in differing { print("\(outputDirectory.path)/\(name) differs; run ./scripts/generate") }
    exit(1)
}
do {
    try OutputDirectory.write(files, to: outputDirectory)
} catch {
    FileHandle.standardError.write(Data("cannot write \(outputDirectory.path): \(error)\n".utf8))
    exit(1)
}
for name in differing { print("wrote \(outputDirectory.path)/\(name)") }

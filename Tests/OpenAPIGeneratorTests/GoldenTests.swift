import Testing
import Foundation
@testable import OpenAPIGenerator

/// Paths in the repository, found from this file so tests run from any directory.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func url(_ path: String) -> URL { root.appendingPathComponent(path) }
    static func read(_ path: String) throws -> String { try String(contentsOf: url(path), encoding: .utf8) }
}

/// Compares generated files with a directory; reports the first differing line of each.
func compare(_ files: [(name: String, contents: String)], with directory: String, hint: String) throws {
    for file in files {
        let expected = (try? Repo.read(directory + "/" + file.name)) ?? ""
        if expected == file.contents { continue }
        let got = file.contents.split(separator: "\n", omittingEmptySubsequences: false)
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line = (0..<min(got.count, want.count)).first { got[$0] != want[$0] } ?? min(got.count, want.count)
        let gotLine = line < got.count ? String(got[line]) : "<end of file>"
        let wantLine = line < want.count ? String(want[line]) : "<end of file>"
        Issue.record("\(directory)/\(file.name):\(line + 1) differs\n  expected: \(wantLine)\n  generated: \(gotLine)\n\(hint)")
    }
}

@Suite struct GoldenTests {
    /// The golden files are the fixture API that APITests compiles and runs: one copy that is
    /// both diffed here and proven to compile and behave there.
    static let goldenDirectory = "Tests/APITests/FixtureAPI"

    @Test func fixtureMatchesGoldenFiles() throws {
        let text = try Repo.read("Tests/OpenAPIGeneratorTests/Fixtures/fixture.yaml")
        let files = try Generator(runtimeModule: "API").generate(text, file: "fixture.yaml")
        if ProcessInfo.processInfo.environment["OPENAPI_GEN_UPDATE_GOLDEN"] == "1" {
            for file in files { try Data(file.contents.utf8).write(to: Repo.url(Self.goldenDirectory + "/" + file.name)) }
            return
        }
        try compare(files, with: Self.goldenDirectory,
                    hint: "Rerun with OPENAPI_GEN_UPDATE_GOLDEN=1 (or ./scripts/generate) and review the diff.")
    }

    /// The committed API module must be what openapi.yaml generates today.
    @Test func generatedAPIIsUpToDate() throws {
        let text = try Repo.read("openapi.yaml")
        let files = try Generator().generate(text, file: "openapi.yaml")
        try compare(files, with: "Sources/API/Generated", hint: "Sources/API/Generated is stale: run ./scripts/generate and commit.")
        let present = try FileManager.default.contentsOfDirectory(atPath: Repo.url("Sources/API/Generated").path)
        #expect(Set(present) == Set(files.map(\.name)), "Sources/API/Generated has extra files: run ./scripts/generate")
    }

    @Test func specLiteralSurvivesQuotesHashesAndBackslashes() throws {
        let decls = Translator.specDecls("a: \"#x\" \"\"\"# \\#(y)\nb: 1\n")
        let code = SwiftRenderer.render(decls)
        // `"#` and `\#` occur, `"##` and `\##` do not: two hashes are the fewest that are safe.
        #expect(code.contains("public static let yaml: String = ##\"\"\"\n    a: \"#x\" \"\"\"# \\#(y)\n    b: 1\n\n    \"\"\"##\n"))
    }

    @Test func namesAreIdiomatic() {
        #expect(Naming.memberName("Retry-After") == "retryAfter")
        #expect(Naming.memberName("ETag") == "eTag")
        #expect(Naming.memberName("URLPath") == "urlPath")
        #expect(Naming.memberName("X-Request-Id") == "xRequestId")
        #expect(Naming.typeName("getOpenAPISpec") == "GetOpenAPISpec")
        #expect(Naming.memberName("hot-water") == "hotWater")
        #expect(Naming.escaped("default") == "`default`")
        #expect(Naming.statusCaseName(418) == "status418")
    }
}

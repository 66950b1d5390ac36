using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using GaussQuant.Checkpoints;
using GaussQuant.Config;
using GaussQuant.Models;
using GaussQuant.Tests.Pipelines;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using GaussQuant.Experiments;

namespace GaussQuant.Tests.Docs;

/// <summary>
/// Every ```csharp block of README.md and docs/*.md is a whole program: it is compiled against the built library as
/// a console app would be (with the SDK's implicit usings) and run in its own process, in a folder holding the files
/// the snippets name (runs/mine/model.safetensors, photo.png, photos/), so the documentation cannot drift from the API.
/// </summary>
public partial class DocumentationSnippetTests
{
    /// <summary>The usings a new console project (ImplicitUsings enabled) adds by itself.</summary>
    private const string ImplicitUsings =
        "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
        "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

    public static TheoryData<string, int> Snippets()
    {
        var data = new TheoryData<string, int>();
        foreach (string document in Documents())
            for (int index = 0; index < SnippetsOf(document).Count; index++)
                data.Add(Path.GetRelativePath(TestPaths.RepositoryRoot, document), index);
        return data;
    }

    [Fact]
    public void TheReadmeHasASnippet() => Assert.NotEmpty(SnippetsOf(Path.Combine(TestPaths.RepositoryRoot, "README.md")));

    [Theory]
    [MemberData(nameof(Snippets))]
    public async Task CompilesAndRuns(string document, int index)
    {
        string code = SnippetsOf(Path.Combine(TestPaths.RepositoryRoot, document))[index];
        using var folder = new TemporaryFolder();
        WriteTheFilesSnippetsName(folder);
        string program = Path.Combine(AppContext.BaseDirectory, $"snippet-{Guid.NewGuid():N}.dll");
        try
        {
            Compile(code, program, $"{document} snippet {index + 1}");
            // The test's own dependency and runtime files resolve the library, TorchSharp and their native parts.
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                WorkingDirectory = folder.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (string argument in new[]
                     {
                         "exec", "--runtimeconfig", Path.Combine(AppContext.BaseDirectory, "GaussQuant.Tests.runtimeconfig.json"),
                         "--depsfile", Path.Combine(AppContext.BaseDirectory, "GaussQuant.Tests.deps.json"), program,
                     })
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            string output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
            Assert.True(process.ExitCode == 0, $"{document} snippet {index + 1} exited with {process.ExitCode}: {await errors}\n{output}");
        }
        finally
        {
            File.Delete(program);
        }
    }

    private static IEnumerable<string> Documents() =>
        Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "docs"), "*.md").Order(StringComparer.Ordinal)
            .Prepend(Path.Combine(TestPaths.RepositoryRoot, "README.md"))
            .Append(Path.Combine(TestPaths.RepositoryRoot, "build", "package", "README.md")); // the packages' own page

    /// <summary>The ```csharp blocks of <paramref name="document"/>, a block inside a list item with its indent taken off.</summary>
    private static List<string> SnippetsOf(string document) =>
        CSharpBlock().Matches(File.ReadAllText(document))
            .Select(match => Regex.Replace(match.Groups[2].Value, "^" + match.Groups[1].Value, "", RegexOptions.Multiline)).ToList();

    [GeneratedRegex(@"^( *)```csharp\n(.*?)^\1```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CSharpBlock();

    /// <summary>A model trained by gq carries its config; a tiny one with random weights stands in for runs/mine.</summary>
    private static void WriteTheFilesSnippetsName(TemporaryFolder folder)
    {
        var config = ExperimentLoader.Load(PipelineTestModel.SmallConfig);
        Directory.CreateDirectory(folder["runs/mine"]);
        using (var model = ModelFactory.Create(config.Model))
            SafetensorsFile.Write(folder["runs/mine/model.safetensors"], model.state_dict(),
                new Dictionary<string, string> { [ModelFileMetadata.ConfigKey] = ConfigYamlWriter.ToYaml(config.Tree) });
        var pictures = PipelineTestModel.WritePictures(folder["photos"], 2);
        File.Copy(pictures[0], folder["photo.png"]);
    }

    private static void Compile(string code, string output, string name)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(IsManagedAssembly)
            .DistinctBy(Path.GetFileName)
            .Select(path => MetadataReference.CreateFromFile(path));
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(Path.GetFileNameWithoutExtension(output),
            [CSharpSyntaxTree.ParseText(ImplicitUsings, parse), CSharpSyntaxTree.ParseText(code, parse, path: name)],
            references, new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        var result = compilation.Emit(output);
        var problems = result.Diagnostics.Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(result.Success && problems.Count == 0, $"{name} does not compile cleanly:\n{string.Join('\n', problems)}");
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}

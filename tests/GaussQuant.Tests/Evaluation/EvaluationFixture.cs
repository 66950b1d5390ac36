using System.Text.Json;

namespace GaussQuant.Tests.Evaluation;

/// <summary>Reads the JSON expectations written by tools/fixtures/make_*_fixture.py under tests/fixtures/evaluation.</summary>
internal static class EvaluationFixture
{
    public static string Path(string name) => TestPaths.Fixture("evaluation", name);

    public static JsonElement[] Cases(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path(file)));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(element => element.Clone()).ToArray();
    }
}

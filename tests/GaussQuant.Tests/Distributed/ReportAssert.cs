using System.Text.Json.Nodes;

namespace GaussQuant.Tests.Distributed;

/// <summary>Compares two evaluation reports' JSON: the same keys and texts, every number within a relative tolerance, timings aside.</summary>
internal static class ReportAssert
{
    public static void MetricsAgree(string expectedPath, string actualPath, double relative)
    {
        var expected = JsonNode.Parse(File.ReadAllText(expectedPath))!;
        var actual = JsonNode.Parse(File.ReadAllText(actualPath))!;
        Compare(expected, actual, "", relative);
    }

    private static void Compare(JsonNode? expected, JsonNode? actual, string path, double relative)
    {
        switch (expected)
        {
            case JsonObject objects:
                var other = Assert.IsType<JsonObject>(actual);
                Assert.Equal(objects.Select(property => property.Key).Order(), other.Select(property => property.Key).Order());
                foreach (var (key, value) in objects.Where(property => property.Key != "timings"))
                    Compare(value, other[key], $"{path}/{key}", relative);
                break;
            case JsonArray array:
                var otherArray = Assert.IsType<JsonArray>(actual);
                Assert.Equal(array.Count, otherArray.Count);
                for (int index = 0; index < array.Count; index++)
                    Compare(array[index], otherArray[index], $"{path}/{index}", relative);
                break;
            case JsonValue value when value.TryGetValue<double>(out double number):
                double got = actual!.GetValue<double>();
                Assert.True(Math.Abs(got - number) <= relative * Math.Abs(number), $"{path}: {got} differs from {number} by more than {relative} relative");
                break;
            default:
                Assert.Equal(expected?.ToJsonString(), actual?.ToJsonString());
                break;
        }
    }
}

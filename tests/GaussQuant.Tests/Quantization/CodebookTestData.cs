using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace GaussQuant.Tests.Quantization;

/// <summary>The fixtures written by tools/fixtures/make_codebook_fixtures.py from PyTorch's SobolEngine and SciPy.</summary>
internal static class CodebookTestData
{
    private static readonly Lazy<JsonElement> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(TestPaths.Fixture("codebook", "codebook_cases.json"))).RootElement);

    public static JsonElement Root => Document.Value;

    public static JsonElement Case(int index) => Root.GetProperty("cases")[index];

    /// <summary>Indexes of the cases with (true) or without (false) an infinite entry, as xunit theory rows.</summary>
    public static IEnumerable<object[]> CaseIndexes(bool nonFinite) =>
        Root.GetProperty("cases").EnumerateArray()
            .Select((item, index) => (item, index))
            .Where(pair => pair.item.TryGetProperty("first_nonfinite_row", out _) == nonFinite)
            .Select(pair => new object[] { pair.index });

    public static string Sha256<T>(ReadOnlySpan<T> values) where T : unmanaged =>
        Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(values)));

    public static string Sha256<T>(T[] values) where T : unmanaged => Sha256<T>(values.AsSpan());
}

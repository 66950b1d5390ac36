using System.Security.Cryptography;
using System.Text.Json;
using GaussQuant.Imaging;

namespace GaussQuant.Tests.Imaging;

/// <summary>The fixtures of tools/fixtures/make_imaging_fixtures.py: tiny images and what Pillow/torchvision made of them.</summary>
internal static class ImagingFixtures
{
    private static readonly Lazy<JsonElement> Expected = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path("expected.json"))).RootElement);

    public static string Path(string name) => TestPaths.Fixture("imaging", name);

    public static RgbImage Decode(string name) => ImageDecoder.Decode(Path(name));

    /// <summary>The "decoded" entry of one fixture image: Pillow's convert("RGB") size and SHA-256.</summary>
    public static JsonElement Decoded(string name) => Expected.Value.GetProperty("decoded").GetProperty(name);

    /// <summary>The resize cases; a "size" that is a number means torchvision's Resize(S), a pair Pillow's resize((w, h)).</summary>
    public static IEnumerable<ResizeCase> Resizes(string group) => Expected.Value.GetProperty(group).EnumerateArray().Select(entry => new ResizeCase(
        entry.GetProperty("file").GetString()!,
        entry.GetProperty("size").ValueKind == JsonValueKind.Number ? entry.GetProperty("size").GetInt32() : null,
        entry.GetProperty("width").GetInt32(),
        entry.GetProperty("height").GetInt32(),
        entry.GetProperty("sha256").GetString()!,
        entry.TryGetProperty("eval_tensor_sha256", out var tensorHash) ? tensorHash.GetString() : null));

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Sha256(RgbImage image) => Sha256(image.Pixels);

    public sealed record ResizeCase(string File, int? ShorterSide, int Width, int Height, string Sha256, string? EvalTensorSha256);
}

using System.Text.Json.Nodes;
using GaussQuant.Distributed;

namespace GaussQuant.Tokens;

/// <summary>
/// Puts the manifests of an encoding job's shards together into the manifest one process would have written: the
/// shards' inputs and skipped inputs in shard order, everything else as every shard recorded it. Used by
/// <c>gq merge</c> over the shard files and by an MPI job over its ranks' parts; either way a mismatch is refused
/// with a message naming the shards, never papered over.
/// </summary>
internal static class TokenShardAssembly
{
    /// <summary>The job's manifest from a shard's (the model and preprocessing) and every shard's part, in order.</summary>
    /// <exception cref="InvalidDataException">no shard has rows, or two shards made rows of different shapes.</exception>
    public static TokenManifest Combine(TokenManifest template, IReadOnlyList<TokenShardPart> parts, IReadOnlyList<string> names)
    {
        var withRows = parts.Select((part, index) => (part, index)).Where(entry => entry.part.LatentShape is not null).ToList();
        if (withRows.Count == 0)
            throw new InvalidDataException(parts.Sum(part => part.Skipped.Count) == 0
                ? "the inputs name no image files, so nothing was written"
                : $"none of the {parts.Sum(part => part.Skipped.Count)} inputs could be used, so nothing was written; first problem: " +
                  $"{parts.SelectMany(part => part.Skipped).First().File}: {parts.SelectMany(part => part.Skipped).First().Reason}");
        var (first, firstIndex) = withRows[0];
        foreach (var (part, index) in withRows.Skip(1))
        {
            if (!part.LatentShape!.SequenceEqual(first.LatentShape!) || !part.ImageSize!.SequenceEqual(first.ImageSize!))
                throw new InvalidDataException(
                    $"{names[index]} holds tokens [{string.Join(", ", part.LatentShape!)}] of {string.Join("x", part.ImageSize!)} images, but " +
                    $"{names[firstIndex]} holds [{string.Join(", ", first.LatentShape!)}] of {string.Join("x", first.ImageSize!)} images; " +
                    "a tokens file holds one image size, so resize the images (--size) or process each size separately");
        }
        return template with
        {
            Inputs = parts.SelectMany(part => part.Inputs).ToList(),
            Skipped = parts.SelectMany(part => part.Skipped).ToList(),
            LatentShape = first.LatentShape!,
            ImageSize = first.ImageSize!,
            Shard = null,
            TokensSha256 = null,
        };
    }

    /// <summary>A shard manifest's own part.</summary>
    public static TokenShardPart PartOf(TokenManifest manifest) =>
        new(manifest.Inputs, manifest.Skipped, manifest.LatentShape, manifest.ImageSize);

    /// <summary>Checks that the manifests are every shard of one job (see <see cref="ShardOrder"/>); returns them in shard order.</summary>
    public static IReadOnlyList<(string Name, TokenManifest Output)> InOrder(IReadOnlyList<(string Name, TokenManifest Output)> shards) =>
        ShardOrder.Check(shards, manifest => manifest.Shard, FirstDifference);

    // Everything but the shard's own inputs must agree between shards of one job; the JSON key names the field.
    private static string? FirstDifference(TokenManifest first, TokenManifest other)
    {
        static JsonObject Common(TokenManifest manifest) => JsonNode.Parse(
            (manifest with { Inputs = [], Skipped = [], Shard = null, TokensSha256 = null, LatentShape = [1, 1, 1], ImageSize = [1, 1], CodebookCount = 1 })
            .ToJson("shard manifest"))!.AsObject();
        var (a, b) = (Common(first), Common(other));
        return a.Select(property => property.Key).FirstOrDefault(key => !JsonNode.DeepEquals(a[key], b[key]));
    }
}

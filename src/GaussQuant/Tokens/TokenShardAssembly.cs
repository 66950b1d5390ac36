using System.Text.Json.Nodes;

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

    /// <summary>
    /// Checks that <paramref name="shards"/> are all the shards of one job, each once, and returns them in shard
    /// order. Names are the manifests' paths, for the messages.
    /// </summary>
    /// <exception cref="InvalidDataException">a shard is missing, given twice, overlaps another, or belongs to another job.</exception>
    public static IReadOnlyList<(string Name, TokenManifest Manifest)> InOrder(IReadOnlyList<(string Name, TokenManifest Manifest)> shards)
    {
        if (shards.Count == 0)
            throw new ArgumentException("no shards to merge were named");
        foreach (var (name, manifest) in shards.Where(shard => shard.Manifest.Shard is null))
            throw new InvalidDataException($"{name} is not a shard's manifest (it has no shard entry): it describes a whole run already");
        var (firstName, firstManifest) = shards[0];
        var job = firstManifest.Shard!;
        foreach (var (name, manifest) in shards.Skip(1))
        {
            if (manifest.Shard!.Count != job.Count || manifest.Shard.Total != job.Total)
                throw new InvalidDataException(
                    $"{name} is shard {manifest.Shard.Index}/{manifest.Shard.Count} of {manifest.Shard.Total} inputs, but {firstName} is shard " +
                    $"{job.Index}/{job.Count} of {job.Total}: they come from different jobs");
            if (FirstDifference(firstManifest, manifest) is string key)
                throw new InvalidDataException($"{name} and {firstName} differ in {key}: the shards were made with different models or options");
        }
        foreach (var twice in shards.GroupBy(shard => shard.Manifest.Shard!.Index).Where(group => group.Count() > 1))
            throw new InvalidDataException($"shard {twice.Key}/{job.Count} is given twice: {string.Join(", ", twice.Select(shard => shard.Name))}");
        if (Enumerable.Range(0, job.Count).FirstOrDefault(index => shards.All(shard => shard.Manifest.Shard!.Index != index), -1) is var missing and >= 0)
            throw new InvalidDataException($"shard {missing}/{job.Count} is missing: merge needs all {job.Count} shards of the job");
        var ordered = shards.OrderBy(shard => shard.Manifest.Shard!.Index).ToList();
        int expectedStart = 0;
        foreach (var (name, manifest) in ordered)
        {
            if (manifest.Shard!.Start != expectedStart)
                throw new InvalidDataException(
                    $"{name} covers inputs {manifest.Shard.Start}..{manifest.Shard.End}, but the shards before it end at input {expectedStart}: " +
                    "the shards overlap or leave a gap");
            expectedStart = manifest.Shard.End;
        }
        if (expectedStart != job.Total)
            throw new InvalidDataException($"the shards cover inputs 0..{expectedStart} of {job.Total}");
        return ordered;
    }

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

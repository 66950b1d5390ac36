using System.Diagnostics;
using GaussQuant.Imaging;
using GaussQuant.IO;
using GaussQuant.Models;
using GaussQuant.Tokens;
using static TorchSharp.torch;
using GaussQuant.Experiments;

namespace GaussQuant.Pipelines;

/// <summary>
/// Tokens → images (<c>gq decode</c>). The whole tokens file is checked against the model first (int64,
/// [N, n_codebooks, h, w] with the model's n_codebooks, every value in [0, K), a manifest that agrees), so a bad file
/// fails before anything is written; then rows are read and decoded a batch at a time and the PNGs (clamped,
/// <c>round((x + 1)·127.5)</c>) staged and moved into the output folder together at the end. The output folder and
/// every image name are checked (and the folder locked) before decoding starts. Names come from the
/// manifest (input stem + .png) or are numbered 000000.png, 000001.png, ….
/// </summary>
public static class DetokenizePipeline
{
    /// <summary>Images one run writes at most: their names are held in memory (tens of bytes each) until the commit.</summary>
    public const int MaxImages = 1_000_000;

    /// <param name="model">The autoencoder (e.g. a <see cref="TokenizerModel"/>'s), in eval mode.</param>
    public static DetokenizeResult Run(Autoencoder model, DetokenizeOptions options, IProgress<PipelineProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (options.BatchSize is <= 0)
            throw new ArgumentException($"the batch size must be positive, not {options.BatchSize}");
        var total = Stopwatch.StartNew();
        using var tokens = new NpyRowReader(options.TokensPath);
        var (names, manifestPath, batchSize) = Check(model, tokens, options.BatchSize, progress, cancellation);

        long[] shape = [.. tokens.Shape];
        int factor = model.DownsamplingFactor;
        using var claim = OutputClaim.ForFolder(options.OutputFolder, names, options.Overwrite);
        using var staged = new StagedImages(claim.Folder);
        for (long first = 0; first < tokens.Rows; first += batchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            int count = (int)Math.Min(batchSize, tokens.Rows - first);
            using var scope = NewDisposeScope();
            var indices = tensor(tokens.ReadRows<long>(first, count), [count, shape[1], shape[2], shape[3]]);
            foreach (var image in ImageTensors.ToImages(model.DecodeTokens(indices)))
            {
                staged.Add(image);
                progress?.Report(new PipelineProgress("decode", staged.Count, tokens.Rows));
            }
        }
        var written = staged.Commit(names, options.Overwrite);
        claim.Keep();
        return new DetokenizeResult(claim.Folder, written, total.Elapsed, manifestPath, shape[1..], [shape[2] * factor, shape[3] * factor]);
    }

    /// <summary>
    /// Every check that can fail on the file's content, before any output exists; returns the image names, the manifest
    /// read, if any, and the batch: the one asked for, else the default at the images' size.
    /// </summary>
    private static (IReadOnlyList<string> Names, string? ManifestPath, int BatchSize) Check(Autoencoder model, NpyRowReader tokens, int? requestedBatch,
        IProgress<PipelineProgress>? progress, CancellationToken cancellation)
    {
        string path = tokens.Path;
        var quantizer = model.Quantizer;
        var format = quantizer.RequireTokens();
        long codebookSize = format.CodebookSize;
        if (tokens.DType != "<i8")
            throw new InvalidDataException($"{path}: tokens must be int64 values (<i8), but the file holds {tokens.DType}");
        var shape = tokens.Shape;
        if (shape.Count != 4)
            throw new InvalidDataException($"{path}: tokens must be shaped [N, n_codebooks, h, w], but the array is [{string.Join(", ", shape)}]");
        if (shape[1] != format.PerPosition)
            throw new InvalidDataException(
                $"{path}: the tokens have {shape[1]} codebooks per position, but the model uses {format.PerPosition}; were they made with another model?");
        if (shape[0] == 0 || shape[2] == 0 || shape[3] == 0)
            throw new InvalidDataException($"{path}: the tokens array [{string.Join(", ", shape)}] holds no images");
        if (shape[0] > MaxImages)
            throw new InvalidDataException(
                $"{path}: the tokens array [{string.Join(", ", shape)}] holds {shape[0]} images, more than the {MaxImages} one decode writes; split the file");
        int factor = model.DownsamplingFactor;
        long height = shape[2] * factor, width = shape[3] * factor;
        if (model.DecoderOptions.ProblemWithImageSize(height, width) is { } misfit)
            throw new InvalidDataException(
                $"{path}: tokens [{string.Join(", ", shape.Skip(1))}] per image decode to {width}x{height} images, which this model cannot make: {misfit}");
        // An explicit batch is kept or refused, never lowered: the encoders refuse one that does not fit in the same words.
        int batchSize = requestedBatch ?? DefaultBatchSize.For(model, checked((int)width), checked((int)height));
        ActivationMemory.Require(model.DecoderOptions, batchSize, height, width, path);
        var fromManifest = NamesFromManifest(path, shape, quantizer);

        // Read by values, not rows: a row can be larger than one read should be.
        const int valuesPerRead = 1 << 20;
        long total = tokens.Rows * tokens.RowLength;
        var buffer = new long[(int)Math.Min(valuesPerRead, total)];
        for (long first = 0; first < total; first += valuesPerRead)
        {
            cancellation.ThrowIfCancellationRequested();
            var values = buffer.AsSpan(0, (int)Math.Min(valuesPerRead, total - first));
            tokens.ReadValues(first, values);
            int bad = values.IndexOfAnyExceptInRange(0L, codebookSize - 1L);
            if (bad >= 0)
                throw new InvalidDataException(
                    $"{path}: token {Position(first + bad, shape)} is {values[bad]}, outside the codebook's range [0, {codebookSize}); were the tokens made with another model?");
            progress?.Report(new PipelineProgress("check", (first + values.Length) / tokens.RowLength, tokens.Rows));
        }
        return fromManifest is null
            ? (OutputImageNames.Numbered(checked((int)shape[0])), null, batchSize)
            : (fromManifest, TokenManifest.PathBeside(path), batchSize);
    }

    /// <summary>Names from the manifest beside the tokens, after checking it describes them and this model; null without one.</summary>
    private static IReadOnlyList<string>? NamesFromManifest(string path, IReadOnlyList<long> shape, Quantization.Quantizer quantizer)
    {
        string manifestPath = TokenManifest.PathBeside(path);
        if (!File.Exists(manifestPath))
            return null;
        var manifest = TokenManifest.Read(manifestPath);
        manifest.RequireBelongsTo(path, manifestPath);
        if (manifest.Inputs.Count != shape[0])
            throw new InvalidDataException($"{manifestPath}: lists {manifest.Inputs.Count} inputs, but {path} holds tokens for {shape[0]} images");
        if (!manifest.LatentShape.Select(side => (long)side).SequenceEqual(shape.Skip(1)))
            throw new InvalidDataException(
                $"{manifestPath}: says each image has tokens [{string.Join(", ", manifest.LatentShape)}], but {path} holds [{string.Join(", ", shape.Skip(1))}]");
        ManifestQuantizers.RequireFits(manifest, manifestPath, quantizer);
        return OutputImageNames.FromInputs(manifest.Inputs);
    }

    private static string Position(long value, IReadOnlyList<long> shape)
    {
        long perImage = shape[1] * shape[2] * shape[3];
        long image = value / perImage, within = value % perImage;
        long codebook = within / (shape[2] * shape[3]), row = within / shape[3] % shape[2], column = within % shape[3];
        return $"[{image}, {codebook}, {row}, {column}]";
    }
}

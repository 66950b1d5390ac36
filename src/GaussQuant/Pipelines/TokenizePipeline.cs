using System.Diagnostics;
using GaussQuant.Imaging;
using GaussQuant.IO;
using GaussQuant.Models;
using GaussQuant.Tokens;
using static TorchSharp.torch;
using GaussQuant.Experiments;

namespace GaussQuant.Pipelines;

/// <summary>
/// Images → tokens (<c>gq encode</c>): the outputs are checked and locked first (<see cref="OutputClaim"/>); inputs
/// are expanded and read in the background, preprocessed, encoded in batches, and their token indices streamed to a
/// temporary file (int64 [N, n_codebooks, h, w]); only when every input was handled are the tokens file and its
/// manifest (<c>TOKENS.json</c>) committed as a pair (<see cref="TokenPairCommit"/>). Without skipping, the first
/// unreadable input fails the run naming the file, and nothing is written.
/// </summary>
public static class TokenizePipeline
{
    public static TokenizeResult Run(TokenizerModel model, TokenizeOptions options, IProgress<PipelineProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Run(model.Model, ModelSource.Of(model), options, progress, cancellation);
    }

    /// <param name="model">The autoencoder, in eval mode.</param>
    /// <param name="source">What the manifest records as the model's config and weights.</param>
    public static TokenizeResult Run(Autoencoder model, ModelSource source, TokenizeOptions options,
        IProgress<PipelineProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var total = Stopwatch.StartNew();
        var format = model.Quantizer.RequireTokens();
        var preprocessing = options.Images.PreprocessingFor(model);
        string tokensPath = TokensPath(options.OutputPath);
        string manifestPath = TokenManifest.PathBeside(tokensPath);
        using var claim = OutputClaim.ForFiles(options.Overwrite, "tokens.npy", tokensPath, manifestPath);
        var files = ImageInputs.Expand(options.Images.Inputs);
        var reader = new ImageBatchReader(files, preprocessing, options.Images.BatchSizeFor(model), options.Images.SkipBad,
            options.Images.DecodeWorkers, oneSize: true);

        var encoder = new TimedEncoder(model);
        var inputs = new List<string>(files.Count);
        NpyRowWriter<long>? writer = null;
        long[] latentShape = [];
        try
        {
            progress?.Report(new PipelineProgress("encode", 0, files.Count));
            foreach (var batch in reader.Read(cancellation))
            {
                cancellation.ThrowIfCancellationRequested();
                var (indices, shape) = encoder.Tokens(batch.Images);
                latentShape = shape[1..];
                writer ??= new NpyRowWriter<long>(tokensPath, latentShape, files.Count);
                writer.Append(indices);
                inputs.AddRange(batch.Files);
                progress?.Report(new PipelineProgress("encode", batch.Consumed, files.Count));
            }
            if (writer is null)
                throw reader.NothingReadable();

            var (width, height) = reader.ImageSize!.Value;
            var manifest = new TokenManifest
            {
                Inputs = inputs,
                Config = source.ConfigPath,
                Checkpoint = source.CheckpointPath,
                CheckpointSha256 = source.CheckpointSha256,
                Precision = model.Precision.Name(),
                Codebook = ManifestQuantizers.CodebookOf(model.Quantizer),
                Quantizer = ManifestQuantizers.Of(model.Quantizer),
                CodebookCount = format.PerPosition,
                LatentShape = latentShape.Select(side => (int)side).ToList(),
                Preprocessing = preprocessing.Mode,
                Resize = preprocessing.Mode == ResizeMode.None ? null : preprocessing.Size,
                ImageSize = [height, width],
                Skipped = reader.Skipped,
            };
            manifest = TokenPairCommit.Commit(writer, manifest, manifestPath);
            claim.Keep();
            progress?.Report(new PipelineProgress("encode", files.Count, files.Count));
            return new TokenizeResult(tokensPath, manifestPath, manifest, encoder.EncoderTime, encoder.SearchTime, total.Elapsed);
        }
        finally
        {
            writer?.Dispose();
        }
    }

    private static string TokensPath(string output)
    {
        if (string.IsNullOrWhiteSpace(output))
            throw new ArgumentException("the tokens file name is empty");
        string path = Path.GetFullPath(output);
        if (Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{output}: the tokens file cannot end in .json, the name its manifest takes; use .npy");
        return path;
    }

    /// <summary>Encoder and codebook search run separately (the same work as <see cref="Autoencoder.Quantize"/>), each timed.</summary>
    private sealed class TimedEncoder(Autoencoder model)
    {
        public TimeSpan EncoderTime { get; private set; }

        public TimeSpan SearchTime { get; private set; }

        /// <summary>The batch's token indices in C order, and their shape [B, n, h, w].</summary>
        public (long[] Indices, long[] Shape) Tokens(IReadOnlyList<RgbImage> images)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var batch = ImageTensors.ToBatch(images, model.Device);
            var watch = Stopwatch.StartNew();
            var moments = model.EncodeMoments(batch);
            if (moments.device.type == TorchSharp.DeviceType.CUDA)
                cuda.synchronize();
            EncoderTime += watch.Elapsed;
            watch.Restart();
            var indices = model.Quantizer.Quantize(moments).Indices.cpu().contiguous();
            var values = indices.data<long>().ToArray();
            SearchTime += watch.Elapsed;
            return (values, indices.shape);
        }
    }
}

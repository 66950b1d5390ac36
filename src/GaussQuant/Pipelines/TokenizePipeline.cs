using System.Diagnostics;
using System.Text.Json;
using GaussQuant.Distributed;
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
/// <para>
/// Split work: with <see cref="TokenizeOptions.Shard"/> the run encodes one block of the input list and writes a
/// shard (<see cref="MergePipeline"/> joins them); under MPI every rank encodes its block, the other ranks send their
/// rows and manifest parts to rank 0, and rank 0 alone claims and writes the outputs, the same bytes one process
/// writes. Blocks are cut at whole batches, so each batch holds the images it holds in one process. Rank 0 gathers
/// the rows rather than every rank writing its rows into a preallocated file: with --skip-bad a rank's first row is
/// only known once the ranks before it have finished, and the output's folder need not be shared between nodes.
/// </para>
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
        var communicator = options.Communicator;
        if (options.Shard is not null && communicator.Size > 1)
            throw new ArgumentException("--shard splits the inputs between separate runs; under an MPI launcher the ranks split them already, so leave --shard out");
        var total = Stopwatch.StartNew();
        string tokensPath = TokensPath(options.OutputPath);
        string manifestPath = TokenManifest.PathBeside(tokensPath);
        // Rank 0 checks and locks the outputs before any rank spends time encoding.
        using var claim = RankAgreement.Run(communicator, () =>
            communicator.IsRoot ? OutputClaim.ForFiles(options.Overwrite, "tokens.npy", tokensPath, manifestPath) : null);
        var (preprocessing, files) = RankAgreement.Run(communicator, () =>
        {
            model.Quantizer.RequireTokens();
            return (options.Images.PreprocessingFor(model), ImageInputs.Expand(options.Images.Inputs));
        });
        var shard = options.Shard ?? Shard.Of(communicator);
        int unit = SplitUnit(model, options.Images, preprocessing);
        var range = shard.RangeOf(files.Count, unit);
        // The header is reserved for the whole job's rows, as one process reserves it, so rank 0's file is the same bytes.
        using var rows = new EncodedRows(communicator.IsRoot ? tokensPath : null, options.Shard is null ? files.Count : range.Length);
        // Rank 0's block is the longest (the first blocks take the remainder).
        var agreement = new PeriodicAgreement(communicator, shard.Count == 1 ? 0 : new Shard(0, shard.Count).RangeOf(files.Count, unit).Length);
        var encoded = RankAgreement.Run(communicator, () =>
            EncodeRange(model, options, preprocessing, files, range, rows, agreement, progress, cancellation));
        var manifest = communicator.Size > 1
            ? Assemble(communicator, encoded, rows, Template(model, source, preprocessing), files.Count, tokensPath)
            : Template(model, source, preprocessing) with
            {
                Inputs = encoded.Part.Inputs,
                Skipped = encoded.Part.Skipped,
                LatentShape = encoded.Part.LatentShape ?? throw encoded.NothingReadable,
                ImageSize = encoded.Part.ImageSize!,
                Shard = options.Shard is null ? null : ShardExtent.Of(shard, range, files.Count),
            };
        var committed = RankAgreement.Run(communicator, () =>
        {
            if (!communicator.IsRoot)
                return null;
            var written = TokenPairCommit.Commit(rows.Writer!, manifest!, manifestPath);
            claim!.Keep();
            return written;
        });
        // Every rank returns the job's manifest, as one process does (the other ranks print nothing from it).
        if (communicator.Size > 1)
            committed = TokenManifest.FromJson(communicator.BroadcastBytes(committed?.ToJson(manifestPath)), "rank 0's manifest");
        progress?.Report(new PipelineProgress("encode", range.Length, range.Length));
        return new TokenizeResult(tokensPath, manifestPath, committed!, encoded.EncoderTime, encoded.SearchTime, total.Elapsed);
    }

    /// <summary>How the input list is cut: at whole batches where the batch is known before the first image is read.</summary>
    private static int SplitUnit(Autoencoder model, ImageInputOptions images, ImagePreprocessing preprocessing) =>
        images.BatchSize ?? (preprocessing.Mode == ResizeMode.None ? 1 : images.BatchSizeFor(model)(preprocessing.Size, preprocessing.Size));

    /// <summary>The manifest's fields every rank and shard share (the model and preprocessing).</summary>
    private static TokenManifest Template(Autoencoder model, ModelSource source, ImagePreprocessing preprocessing) => new()
    {
        Inputs = [],
        Config = source.ConfigPath,
        Checkpoint = source.CheckpointPath,
        CheckpointSha256 = source.CheckpointSha256,
        Precision = model.Precision.Name(),
        Codebook = ManifestQuantizers.CodebookOf(model.Quantizer),
        Quantizer = ManifestQuantizers.Of(model.Quantizer),
        TrainedCodebookSize = ManifestQuantizers.TrainedCodebookSizeOf(model.Quantizer),
        CodebookCount = model.Quantizer.RequireTokens().PerPosition,
        LatentShape = [],
        Preprocessing = preprocessing.Mode,
        Resize = preprocessing.Mode == ResizeMode.None ? null : preprocessing.Size,
        ImageSize = [],
    };

    /// <summary>One rank's (or shard's) encoded block: its part of the manifest (its rows went to an <see cref="EncodedRows"/>).</summary>
    private sealed record EncodedRange(TokenShardPart Part, InvalidDataException NothingReadable, TimeSpan EncoderTime,
        TimeSpan SearchTime);

    private static EncodedRange EncodeRange(Autoencoder model, TokenizeOptions options, ImagePreprocessing preprocessing, IReadOnlyList<string> files,
        ShardRange range, EncodedRows rows, PeriodicAgreement agreement, IProgress<PipelineProgress>? progress, CancellationToken cancellation)
    {
        var block = files.Skip(range.Start).Take(range.Length).ToList();
        var reader = new ImageBatchReader(block, preprocessing, options.Images.BatchSizeFor(model), options.Images.SkipBad,
            options.Images.DecodeWorkers, oneSize: true);
        var encoder = new TimedEncoder(model);
        var inputs = new List<string>(block.Count);
        long[] latentShape = [];
        progress?.Report(new PipelineProgress("encode", 0, block.Count));
        foreach (var batch in reader.Read(cancellation))
        {
            cancellation.ThrowIfCancellationRequested();
            var (indices, shape) = encoder.Tokens(batch.Images);
            latentShape = shape[1..];
            rows.Append(indices, latentShape);
            inputs.AddRange(batch.Files);
            progress?.Report(new PipelineProgress("encode", batch.Consumed, block.Count));
            agreement.Reached(batch.Consumed);
        }
        agreement.Finish();
        var part = new TokenShardPart(inputs, reader.Skipped, rows.Count == 0 ? null : latentShape.Select(side => (int)side).ToList(),
            reader.ImageSize is var (width, height) ? [height, width] : null);
        return new EncodedRange(part, reader.NothingReadable(), encoder.EncoderTime, encoder.SearchTime);
    }

    /// <summary>
    /// Rank 0 gathers every rank's manifest part and rows, in rank order (= input order), behind its own rows; it
    /// returns the job's manifest there (null on the other ranks).
    /// </summary>
    private static TokenManifest? Assemble(ICommunicator communicator, EncodedRange encoded, EncodedRows rows, TokenManifest template, int jobInputs,
        string tokensPath)
    {
        var parts = communicator.Gather(JsonSerializer.SerializeToUtf8Bytes(encoded.Part));
        var manifest = RankAgreement.Run(communicator, () =>
        {
            if (parts is null)
                return null;
            var combined = TokenShardAssembly.Combine(template, parts.Select(bytes => JsonSerializer.Deserialize<TokenShardPart>(bytes)!).ToList(),
                Enumerable.Range(0, parts.Length).Select(rank => $"rank {rank}").ToList());
            rows.Prepare(tokensPath, combined.LatentShape.Select(side => (long)side).ToArray(), jobInputs);
            return combined;
        });
        RankRowTransfer.ToRoot(communicator, rows.Spool, rows.SpoolBytes, values => rows.Writer!.Append(values));
        RankAgreement.Check(communicator);
        return manifest;
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
            var indices = model.QuantizeMoments(moments).Indices.cpu().contiguous();
            var values = indices.data<long>().ToArray();
            SearchTime += watch.Elapsed;
            return (values, indices.shape);
        }
    }
}

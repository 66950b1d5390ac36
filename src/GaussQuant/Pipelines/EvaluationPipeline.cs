using GaussQuant.Distributed;
using GaussQuant.Evaluation;
using GaussQuant.Evaluation.Networks;
using GaussQuant.Imaging;
using GaussQuant.Models;
using GaussQuant.Quantization;
using GaussQuant.Reports;
using GaussQuant.Tokens;
using static TorchSharp.torch;
using GaussQuant.Experiments;

namespace GaussQuant.Pipelines;

/// <summary>
/// Reconstruction quality of a tokenizer over a folder of images, as the authors' eval.py measures it (spec §6):
/// each image is resized (shorter side to S) and centre-cropped to S×S, encoded once, and decoded from the quantized
/// latent (vq) and/or the posterior mean; the unclamped reconstructions are compared with the originals by PSNR,
/// SSIM, MS-SSIM, LPIPS and rFID, and the vq tokens give codebook usage. Unreadable images are skipped and listed.
/// Everything streams: memory does not grow with the number of images (the report page's 24 bytes per image aside).
/// <para>
/// Split work: each shard (<see cref="EvaluationOptions.Shard"/>) or MPI rank measures a block of the images, cut at
/// whole batches so that every image is computed in the batch it has in one process, and keeps only
/// <see cref="EvaluationShard"/> statistics; rank 0 gathers and merges them in float64 (metric moments and feature
/// scatter by Chan et al.'s update, histograms by addition) and gives every rank the report. One process takes the
/// same path with one part, so the metrics of split and whole runs differ only by the merge's rounding (≈1e-15).
/// </para>
/// </summary>
public static class EvaluationPipeline
{
    public static EvaluationReport Run(TokenizerModel model, EvaluationOptions options, IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellation = default) =>
        Evaluate(model, options, withPage: false, progress, cancellation).Report;

    /// <summary>
    /// <see cref="Run"/>, and the HTML page's content (<c>gq eval --html</c>) gathered on the way: the worst, median and
    /// best reconstructions, the token map, the codebook histogram and the per-image PSNR distributions.
    /// </summary>
    public static EvaluationResult RunWithPage(TokenizerModel model, EvaluationOptions options, IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellation = default) =>
        Evaluate(model, options, withPage: true, progress, cancellation);

    /// <summary>
    /// The partial statistics of <see cref="EvaluationOptions.Shard"/> (<c>gq eval --shard i/N</c>), which
    /// <see cref="MergePipeline"/> joins with the job's other shards into the report one run over all images writes.
    /// </summary>
    public static EvaluationShard RunShard(TokenizerModel model, EvaluationOptions options, IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Shard is null)
            throw new ArgumentException("name the shard to evaluate (--shard i/N)");
        return Measure(model, options, withPage: false, progress, cancellation).Part;
    }

    private static EvaluationResult Evaluate(TokenizerModel model, EvaluationOptions options, bool withPage, IProgress<EvaluationProgress>? progress,
        CancellationToken cancellation)
    {
        var communicator = options.Communicator;
        if (communicator.Size == 1)
        {
            var measured = Measure(model, options, withPage, progress, cancellation);
            return measured.WithPage ?? new EvaluationResult(EvaluationShard.Combine([measured.Part]), null);
        }
        var part = RankAgreement.Run(communicator, () => Measure(model, options, withPage, progress, cancellation).Part);
        var parts = communicator.Gather(part.ToJson());
        var report = RankAgreement.Run(communicator, () =>
            parts is null ? null : EvaluationShard.Combine(parts.Select((json, rank) => EvaluationShard.FromJson(json, $"rank {rank}")).ToList()));
        return new EvaluationResult(EvaluationReport.FromJson(communicator.BroadcastBytes(report?.ToJson()), "rank 0's report"), null);
    }

    private sealed record Measured(EvaluationShard Part, EvaluationResult? WithPage);

    private static Measured Measure(TokenizerModel model, EvaluationOptions options, bool withPage, IProgress<EvaluationProgress>? progress,
        CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var shard = options.Shard ?? Shard.Of(options.Communicator);
        if (withPage && shard.Count > 1)
            throw new ArgumentException("--html shows the worst, median and best images of the whole set, which one process must see: " +
                                        "leave --html out when the images are split (--shard or MPI)");
        var stopwatches = new EvaluationStopwatches();
        var autoencoder = model.Model;
        var backbone = model.Config.Model.Encoder;
        int size = options.ImageSize ?? backbone.NominalImageSize;
        if (backbone.ProblemWithImageSize(size, size) is { } problem)
            throw new ArgumentException($"the image size {size} does not fit {model.ConfigPath}: {problem}");
        var files = ImageInputs.Expand([options.Data]);
        if (options.Limit is int limit && limit < files.Count)
            files = files.Take(limit).ToList();
        int jobFiles = files.Count;
        int batchSize = options.BatchSize ?? DefaultBatchSize.For(autoencoder, size, size);
        var range = shard.RangeOf(files.Count, batchSize);
        // Rank 0's block is the longest (the first blocks take the remainder).
        var agreement = new PeriodicAgreement(options.Communicator, shard.Count == 1 ? 0 : new Shard(0, shard.Count).RangeOf(files.Count, batchSize).Length);
        files = files.Skip(range.Start).Take(range.Length).ToList();
        string checkpointSha256 = TokenManifest.Sha256Of(model.CheckpointPath);
        using var saving = options.SaveReconstructions is null
            ? null : new ReconstructionFiles(options.SaveReconstructions, files, options.Modes, options.Overwrite);

        using var networks = EvaluationStopwatches.Time(stopwatches.NetworkLoading, () => EvaluationNetworks.Load(options, autoencoder.Device));
        var plan = MetricPlan.For(size, options.LpipsNetwork, networks);
        var format = autoencoder.Quantizer.Tokens;
        if (withPage && format is null)
            throw new NotSupportedException("the evaluation page shows token maps, and this model's regularizer makes no tokens; evaluate it without --html");
        var modes = ModesFor(format, options.Modes).Select(mode => new ModeMetrics(mode, plan, stopwatches,
            mode == ReconstructionMode.Vq && format!.IsCountable ? new CodebookUsage(format.PerPosition, (int)format.CodebookSize) : null)).ToList();
        var page = withPage ? new EvaluationPageCollector(ModeName(modes[0].Mode)) : null;
        try
        {
            using var originalFeatures = plan.Inception is null ? null : new FeatureStatistics(FidInceptionV3.FeatureDimension);
            var skipped = new List<SkippedInput>();
            int done = 0, evaluated = 0, batches = 0;
            var pending = new List<ImageLoadResult>(batchSize);
            var loader = new ImageLoader(ImagePreprocessing.ResizeCenterCrop(size), options.Workers);
            using (var results = loader.Load(files, cancellation).GetEnumerator())
                while (EvaluationStopwatches.Time(stopwatches.ImageWait, results.MoveNext))
                {
                    var result = results.Current;
                    done++;
                    if (result.Succeeded)
                        pending.Add(result);
                    else
                        skipped.Add(new SkippedInput(result.Path, result.Error!));
                    if (pending.Count < batchSize && (done < files.Count || pending.Count == 0))
                        continue;
                    cancellation.ThrowIfCancellationRequested();
                    EvaluateBatch(autoencoder, pending, modes, plan.Inception, originalFeatures, saving, stopwatches, (page, batches++));
                    evaluated += pending.Count;
                    pending.Clear();
                    progress?.Report(new EvaluationProgress(done, files.Count, evaluated, skipped.Count));
                    agreement.Reached(done);
                }
            agreement.Finish();
            progress?.Report(new EvaluationProgress(done, files.Count, evaluated, skipped.Count));

            saving?.Keep();
            var header = new EvaluationReport
            {
                Images = evaluated,
                Skipped = [],
                Data = options.Data,
                Config = model.ConfigPath,
                Checkpoint = model.CheckpointPath,
                CheckpointSha256 = checkpointSha256,
                Precision = autoencoder.Precision.Name(),
                ImageSize = size,
                CodebookSize = format?.CodebookSize,
                TrainedCodebookSize = ManifestQuantizers.TrainedCodebookSizeOf(autoencoder.Quantizer),
                CodebookCount = format?.PerPosition,
                BitsPerToken = format?.BitsPerToken,
                BitsPerPixel = format is null ? null : Bitrate.BitsPerPixel(format.PerPosition, format.CodebookSize, autoencoder.DownsamplingFactor),
                LpipsNetwork = plan.Lpips?.Network.ToString().ToLowerInvariant(),
                Timings = stopwatches.ToTimings(evaluated),
                Modes = new Dictionary<string, EvaluationModeReport>(),
                NotComputed = plan.NotComputed,
            };
            var part = new EvaluationShard
            {
                Shard = options.Shard is null ? null : ShardExtent.Of(options.Shard, range, jobFiles),
                Header = header,
                Evaluated = evaluated,
                Skipped = skipped,
                Originals = originalFeatures?.Moments(),
                Modes = modes.ToDictionary(metrics => ModeName(metrics.Mode), metrics => metrics.Statistics()),
            };
            if (page is null)
                return new Measured(part, null);
            var report = EvaluationShard.Combine([part]);
            if (page.MedianBatch() is { } median)
                RerunForMedian(autoencoder, modes[0], files, median.InputIndices, median.Item, page, loader.Preprocessing, cancellation);
            return new Measured(part, new EvaluationResult(report,
                page.Build(report, ModelSummary.From(model.Config.Model, size), modes[0].PooledHistogram(),
                    (int)Math.Min(format!.CodebookSize, int.MaxValue))));
        }
        finally
        {
            foreach (var metrics in modes)
                metrics.Dispose();
        }
    }

    /// <summary>
    /// The modes a model can be measured in: a model without tokens has no vq reconstruction, so vq is dropped when
    /// mean is asked for too (the default, both) and refused when it is the only one.
    /// </summary>
    private static IReadOnlyList<ReconstructionMode> ModesFor(TokenFormat? format, IReadOnlyList<ReconstructionMode> requested)
    {
        if (format is not null || !requested.Contains(ReconstructionMode.Vq)) return requested;
        var continuous = requested.Where(mode => mode != ReconstructionMode.Vq).ToList();
        return continuous.Count > 0 ? continuous
            : throw new NotSupportedException("this model's regularizer makes no tokens, so it has no vq reconstruction; evaluate it with --mode mean");
    }

    /// <summary>The report's key for a mode: <c>vq</c> or <c>mean</c>.</summary>
    public static string ModeName(ReconstructionMode mode) => mode.ToString().ToLowerInvariant();

    /// <summary>Encodes a batch once, then decodes and measures it in every mode.</summary>
    private static void EvaluateBatch(Autoencoder autoencoder, IReadOnlyList<ImageLoadResult> batch, IReadOnlyList<ModeMetrics> modes,
        FidInceptionV3? inception, FeatureStatistics? originalFeatures, ReconstructionFiles? saving, EvaluationStopwatches stopwatches,
        (EvaluationPageCollector? Collector, int Batch) page)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var images = ImageTensors.ToBatch(batch.Select(result => result.Image!).ToList(), autoencoder.Device);
        bool withTokens = modes.Any(metrics => metrics.Mode == ReconstructionMode.Vq) || page.Collector is not null;
        var latent = EvaluationStopwatches.Time(stopwatches.Encode, () => Encode(autoencoder, images, withTokens));
        if (inception is not null)
            EvaluationStopwatches.Time(stopwatches.Fid, () => originalFeatures!.Add(inception.Features(images)));
        foreach (var metrics in modes)
        {
            var reconstructions = EvaluationStopwatches.Time(stopwatches.Decode, () => Decode(autoencoder, latent, metrics.Mode));
            using (var finite = isfinite(reconstructions).all())
                if (!finite.item<bool>())
                    throw new InvalidOperationException(
                        $"the model's {ModeName(metrics.Mode)} reconstruction of a batch starting with {batch[0].Path} holds NaN or " +
                        "infinite values: the checkpoint is broken or does not belong to this config");
            var (psnr, ssim) = metrics.Add(images, reconstructions, latent.Indices);
            page.Collector?.Add(ModeName(metrics.Mode), page.Batch, batch, images, reconstructions, latent.Indices!, psnr, ssim);
            if (saving is not null)
                EvaluationStopwatches.Time(stopwatches.Save, () => saving.Write(metrics.Mode, batch, reconstructions));
        }
    }

    /// <summary>A batch's tokens and quantized latent (null when neither a vq mode nor the page needs them) and its posterior mean.</summary>
    private sealed record EncodedBatch(Tensor? Indices, Tensor? Quantized, Tensor Mean);

    private static EncodedBatch Encode(Autoencoder autoencoder, Tensor images, bool withTokens)
    {
        if (!withTokens) return new(null, null, autoencoder.EncodeContinuous(images).Mean);
        var latent = autoencoder.Quantize(images);
        return new(latent.Indices, latent.Quantized, latent.Mean);
    }

    private static Tensor Decode(Autoencoder autoencoder, EncodedBatch latent, ReconstructionMode mode) =>
        autoencoder.Decode(mode == ReconstructionMode.Vq ? latent.Quantized! : latent.Mean);

    /// <summary>
    /// Reads and runs again the batch that held the median image (see <see cref="EvaluationPageCollector"/>): the same
    /// files in the same order make the same batch, so the network gives the first pass's reconstruction bit for bit.
    /// </summary>
    private static void RerunForMedian(Autoencoder autoencoder, ModeMetrics metrics, IReadOnlyList<string> files, IReadOnlyList<int> inputs,
        int item, EvaluationPageCollector page, ImagePreprocessing preprocessing, CancellationToken cancellation)
    {
        var batch = new ImageLoader(preprocessing, workers: 1).Load(inputs.Select(index => files[index]).ToList(), cancellation).ToList();
        if (batch.FirstOrDefault(result => !result.Succeeded) is { } failed)
            throw new InvalidDataException($"{failed.Path} could be read during the evaluation but not afterwards: {failed.Error}");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var images = ImageTensors.ToBatch(batch.Select(result => result.Image!).ToList(), autoencoder.Device);
        var latent = Encode(autoencoder, images, withTokens: true);
        var reconstructions = Decode(autoencoder, latent, metrics.Mode);
        var (psnr, ssim) = metrics.PixelMetrics(images, reconstructions);
        page.AddMedian(files[inputs[item]], images[item], reconstructions[item], latent.Indices![item], psnr[item], ssim?[item]);
    }
}

using System.Diagnostics;
using GaussQuant.Imaging;
using GaussQuant.IO;
using GaussQuant.Models;
using GaussQuant.Tokens;
using static TorchSharp.torch;
using GaussQuant.Experiments;

namespace GaussQuant.Pipelines;

/// <summary>
/// Images → model → images (<c>gq reconstruct</c>), in <see cref="ReconstructionMode.Vq"/> (what encode + decode
/// give, bit for bit), <see cref="ReconstructionMode.Mean"/> or <see cref="ReconstructionMode.Sample"/> mode. PNGs are
/// staged inside the output folder and moved into place only when every input was handled, so a bad input (without
/// skipping) leaves no output. Names are the inputs' stems + .png, as <c>gq decode</c> names them from a manifest.
/// </summary>
public static class ReconstructPipeline
{
    /// <param name="model">The autoencoder (e.g. a <see cref="TokenizerModel"/>'s), in eval mode.</param>
    public static ReconstructResult Run(Autoencoder model, ReconstructOptions options, IProgress<PipelineProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var total = Stopwatch.StartNew();
        if (options.Mode == ReconstructionMode.Vq)
            model.Quantizer.RequireTokens();
        var preprocessing = options.Images.PreprocessingFor(model);
        var files = ImageInputs.Expand(options.Images.Inputs);
        // Without resizing, images of different sizes are fine here: each size gets its own batches.
        var reader = new ImageBatchReader(files, preprocessing, options.Images.BatchSizeFor(model), options.Images.SkipBad,
            options.Images.DecodeWorkers, oneSize: false);
        using var generator = options.Seed is { } seed ? new Generator(seed, model.Device) : null;

        var inputs = new List<string>(files.Count);
        // Checked with every input's name before any work; when inputs are skipped, the commit checks the final names again.
        using var claim = OutputClaim.ForFolder(options.OutputFolder, OutputImageNames.FromInputs(files), options.Overwrite);
        using var staged = new StagedImages(claim.Folder);
        progress?.Report(new PipelineProgress("reconstruct", 0, files.Count));
        foreach (var batch in reader.Read(cancellation))
        {
            cancellation.ThrowIfCancellationRequested();
            using (var scope = NewDisposeScope())
            {
                var images = ImageTensors.ToBatch(batch.Images, model.Device);
                int before = batch.Consumed - batch.Images.Count;
                foreach (var image in ImageTensors.ToImages(model.Reconstruct(images, options.Mode, generator)))
                {
                    staged.Add(image);
                    progress?.Report(new PipelineProgress("reconstruct", ++before, files.Count));
                }
            }
            inputs.AddRange(batch.Files);
            progress?.Report(new PipelineProgress("reconstruct", batch.Consumed, files.Count));
        }
        if (inputs.Count == 0)
            throw reader.NothingReadable();
        var written = staged.Commit(OutputImageNames.FromInputs(inputs), options.Overwrite);
        claim.Keep();
        progress?.Report(new PipelineProgress("reconstruct", files.Count, files.Count));
        return new ReconstructResult(claim.Folder, written, reader.Skipped, total.Elapsed);
    }
}

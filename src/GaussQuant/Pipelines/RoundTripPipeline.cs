using GaussQuant.Evaluation;
using GaussQuant.Imaging;
using GaussQuant.IO;
using GaussQuant.Models;
using GaussQuant.Tokens;
using static TorchSharp.torch;
using GaussQuant.Experiments;

namespace GaussQuant.Pipelines;

/// <summary>What a round trip produced and how close it came back.</summary>
/// <param name="TokensPath">The tokens written by the tokenize step (with its manifest beside it).</param>
/// <param name="ReconstructionFolder">The PNGs the detokenize step wrote from those tokens.</param>
/// <param name="GridPath">Originals above their reconstructions, labelled, with PSNR and bits per pixel (<see cref="ComparisonSheet"/>).</param>
/// <param name="Psnr">Per image, in input order: PSNR in dB of the 8-bit reconstruction against the preprocessed original.</param>
public sealed record RoundTripResult(
    string TokensPath,
    string ReconstructionFolder,
    string GridPath,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<double> Psnr,
    long TokensPerImage,
    double BitsPerToken,
    double BitsPerPixel);

/// <summary>
/// The whole tokenizer cycle a user runs, as one job: images → tokens file (<see cref="TokenizePipeline"/>) → PNGs
/// decoded from that file alone (<see cref="DetokenizePipeline"/>), then the reconstructions measured against the
/// images the encoder saw. Nothing is shared between the two halves but the tokens file. Every output is checked
/// before the first image is read, so an existing one (without <paramref name="overwrite"/>) stops the job unchanged.
/// </summary>
public static class RoundTripPipeline
{
    private const string TokensName = "tokens.npy", GridName = "comparison.png", ReconstructionsName = "reconstructions";

    /// <param name="overwrite">Replace the outputs of an earlier run in <paramref name="outputFolder"/>.</param>
    public static RoundTripResult Run(TokenizerModel model, ImageInputOptions images, string outputFolder,
        IProgress<PipelineProgress>? progress = null, CancellationToken cancellation = default, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        using var claim = OutputClaim.ForFolder(outputFolder,
            [TokensName, TokenManifest.PathBeside(TokensName), GridName], overwrite);
        string tokensPath = Path.Combine(outputFolder, TokensName);
        string reconstructionFolder = Path.Combine(outputFolder, ReconstructionsName);
        OutputDestination.CheckFolder(reconstructionFolder, OutputImageNames.FromInputs(ImageInputs.Expand(images.Inputs)), overwrite);
        var tokenized = TokenizePipeline.Run(model, new TokenizeOptions { Images = images, OutputPath = tokensPath, Overwrite = overwrite },
            progress, cancellation);
        var decoded = DetokenizePipeline.Run(model.Model, new DetokenizeOptions
        {
            TokensPath = tokensPath, OutputFolder = reconstructionFolder, BatchSize = images.BatchSize, Overwrite = overwrite,
        }, progress, cancellation);

        var manifest = tokenized.Manifest;
        var loader = new ImageLoader(images.PreprocessingFor(model.Model), images.DecodeWorkers);
        var originals = new List<RgbImage>();
        var reconstructions = new List<RgbImage>();
        var psnr = new List<double>();
        foreach (var (original, reconstructionPath) in loader.Load(manifest.Inputs, cancellation).Zip(decoded.Images))
        {
            var reconstruction = ImageDecoder.Decode(reconstructionPath);
            using var scope = NewDisposeScope();
            psnr.Add(Psnr.PerImage(ImageTensors.ToBatch([original.Image!]), ImageTensors.ToBatch([reconstruction]))[0]);
            originals.Add(original.Image!);
            reconstructions.Add(reconstruction);
        }
        var format = model.Model.Quantizer.RequireTokens();
        double bitsPerPixel = Bitrate.BitsPerPixel(format.PerPosition, format.CodebookSize, model.Model.DownsamplingFactor);
        string gridPath = Path.Combine(outputFolder, GridName);
        ImageEncoder.WritePng(gridPath, ComparisonSheet.Compose(originals, reconstructions, psnr, bitsPerPixel));
        claim.Keep();

        long tokensPerImage = manifest.LatentShape.Aggregate(1L, (product, side) => product * side);
        return new RoundTripResult(tokensPath, reconstructionFolder, gridPath, manifest.Inputs, psnr, tokensPerImage,
            Bitrate.BitsPerToken(format.CodebookSize), bitsPerPixel);
    }
}

using System.CommandLine;
using GaussQuant.Pipelines;

namespace GaussQuant.Cli.Commands;

/// <summary>
/// <c>gq demo [INPUT...] [-o DIR]</c>: a full tokenize → detokenize round trip (by default with the model and sample
/// images built into gq), reporting tokens, bits per pixel and PSNR, and writing the reconstructions.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var model = new ModelArguments();
        var images = new ImageArguments(inputsOptional: true);
        var outputs = new OutputArguments();
        var output = new Option<string>("--output", "-o") { Description = "Folder for tokens, reconstructions and a comparison grid.", DefaultValueFactory = _ => "gq-demo" };
        var command = new Command("demo", "Round trip: images → tokens → images, with the default model and sample images unless told otherwise.") { output };
        model.AddTo(command);
        images.AddTo(command);
        outputs.AddTo(command);
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            using var loaded = model.Load(parsed);
            var options = images.Options(parsed);
            if (options.Inputs.Count == 0)
                options = options with { Inputs = DefaultModel.SampleImages() };
            var result = ProgressRendering.Run((progress, cancellation) =>
                RoundTripPipeline.Run(loaded, options, parsed.GetValue(output)!, progress, cancellation, outputs.OverwriteOf(parsed)));

            Console.WriteLine($"model: {loaded.CheckpointPath}");
            for (int i = 0; i < result.Inputs.Count; i++)
                Console.WriteLine($"  {Path.GetFileName(result.Inputs[i]),-32} PSNR {result.Psnr[i],6:F2} dB");
            var finite = result.Psnr.Where(double.IsFinite).ToList();
            Console.WriteLine($"{result.Inputs.Count} images, {result.TokensPerImage} tokens each ({result.BitsPerToken:0.##} bits per token, " +
                              $"{result.BitsPerPixel:0.###} bits per pixel), mean PSNR {(finite.Count > 0 ? finite.Average() : double.PositiveInfinity):F2} dB");
            Console.WriteLine($"tokens: {result.TokensPath}");
            Console.WriteLine($"reconstructions: {result.ReconstructionFolder}");
            Console.WriteLine($"originals above reconstructions, with PSNR and bits per pixel: {result.GridPath}");
            return ExitCodes.Success;
        }));
        return command;
    }
}

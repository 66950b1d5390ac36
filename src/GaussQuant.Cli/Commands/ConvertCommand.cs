using System.CommandLine;
using GaussQuant.Checkpoints;

namespace GaussQuant.Cli.Commands;

/// <summary><c>gq convert M.ckpt -o M.safetensors [--all]</c>: keeps the weights inference needs, in the project's own format.</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("checkpoint") { Description = "A Lightning .ckpt, a PyTorch state dict (.pth/.pt) or a .safetensors file." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Output .safetensors file.", Required = true };
        var outputs = new OutputArguments();
        var all = new Option<bool>("--all") { Description = "Keep every state-dict tensor (loss, discriminator, …), not only encoder/decoder/regularization." };

        var command = new Command("convert", "Convert a checkpoint to .safetensors with the encoder, decoder and quantizer weights.")
        {
            input, output, all,
        };
        outputs.AddTo(command);
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            string target = parsed.GetValue(output)!.FullName;
            int written = CheckpointConverter.ToSafetensors(parsed.GetValue(input)!.FullName, target, parsed.GetValue(all), outputs.OverwriteOf(parsed));
            Console.WriteLine($"wrote {written} tensors to {target}");
            return ExitCodes.Success;
        }));
        return command;
    }
}

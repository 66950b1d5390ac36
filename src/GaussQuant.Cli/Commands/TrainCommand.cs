using System.CommandLine;
using GaussQuant.Distributed;
using GaussQuant.Pipelines;
using GaussQuant.Training;
using GaussQuant.Training.Loop;
using static TorchSharp.torch;

namespace GaussQuant.Cli.Commands;

/// <summary>
/// <c>gq train --config C.yaml [--data DIR] [--out RUNDIR] [--max-steps N] [--resume] [key=value ...]</c>:
/// trains a GQ tokenizer, printing one line per logged step. Ctrl+C or SIGTERM stops after the current step, writes a
/// checkpoint, says where, and exits with 130 or 143 (see <see cref="Interruption"/>).
/// </summary>
internal static class TrainCommand
{
    /// <param name="communicator">The job's ranks, which split every batch (a job of one without a launcher).</param>
    public static Command Create(ICommunicator communicator)
    {
        var config = new Option<FileInfo?>("--config") { Description = "Config in the authors' YAML format (default with --resume: RUNDIR/config.yaml)." };
        var data = new Option<string?>("--data") { Description = "Training images: a folder (recursive) or a .txt list; overrides data.params.train.params.root." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Run directory (default: runs/<config name>)." };
        var maxSteps = new Option<long?>("--max-steps") { Description = "Stop at this global step (default: the config's max_steps or max_epochs)." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last checkpoint." };
        var seed = new Option<int>("--seed") { Description = "Seed of data order, initialisation and sampling.", DefaultValueFactory = _ => 23 };
        var device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        var checkpointEvery = new Option<long?>("--checkpoint-every") { Description = "Steps between checkpoints (default: the config's, else 500)." };
        var logEvery = new Option<long>("--log-every") { Description = "Steps between progress lines, CSV rows and TensorBoard scalars.", DefaultValueFactory = _ => 10 };
        var sampleEvery = new Option<long?>("--sample-every") { Description = "Steps between sample grids (default: the config's, else 500)." };
        var randomCrop = new Option<bool>("--random-crop") { Description = "Random square crops instead of centre crops." };
        var flip = new Option<bool>("--flip") { Description = "Random horizontal flips." };
        var lpipsWeights = new Option<string?>("--lpips-weights") { Description = "VGG16 weights for the perceptual loss (torchvision vgg16-397923af.pth or a checkpoint with loss.perceptual_loss.*)." };
        var lpipsHeads = new Option<string?>("--lpips-heads") { Description = "LPIPS v0.1 VGG linear heads (vgg.pth)." };
        var vfWeights = new Option<string?>("--vf-weights")
        {
            Description = "DINOv2 weights for VF alignment (configs with use_vf): timm's vit_large_patch14_dinov2.lvd142m or Hugging Face's " +
                          $"facebook/dinov2-large, .safetensors or .pth/.bin; sets model.params.{GaussQuant.Experiments.ModelConfig.VisionFoundationWeightsKey}.",
        };
        var workers = new Option<int?>("--workers") { Description = "Image-decoding threads (default: the core count)." };
        var threads = new ThreadsOption();
        var outputs = new OutputArguments();
        var overrides = new Argument<string[]>("overrides") { Description = "Config overrides key.path=value.", Arity = ArgumentArity.ZeroOrMore };

        var command = new Command("train", "Train a GQ tokenizer on a folder of images.")
        {
            config, data, output, maxSteps, resume, seed, device, checkpointEvery, logEvery, sampleEvery, randomCrop, flip,
            lpipsWeights, lpipsHeads, vfWeights, workers, threads, overrides,
        };
        outputs.AddTo(command);
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            var options = new TrainOptions
            {
                ConfigPath = parsed.GetValue(config)?.FullName,
                DataPath = parsed.GetValue(data),
                VisionFoundationWeights = parsed.GetValue(vfWeights),
                Overrides = parsed.GetValue(overrides) ?? [],
                RunDirectory = parsed.GetValue(output)?.FullName,
                Resume = parsed.GetValue(resume),
                Overwrite = outputs.OverwriteOf(parsed),
                Communicator = communicator,
                Settings = new TrainingSettings
                {
                    MaxSteps = parsed.GetValue(maxSteps),
                    Seed = parsed.GetValue(seed),
                    Device = new Device(parsed.GetValue(device)!),
                    CheckpointEverySteps = parsed.GetValue(checkpointEvery),
                    LogEverySteps = parsed.GetValue(logEvery),
                    SampleEverySteps = parsed.GetValue(sampleEvery),
                    RandomCrop = parsed.GetValue(randomCrop),
                    HorizontalFlip = parsed.GetValue(flip),
                    PerceptualBackboneWeights = parsed.GetValue(lpipsWeights),
                    PerceptualHeadWeights = parsed.GetValue(lpipsHeads),
                    DataWorkers = parsed.GetValue(workers),
                },
            };

            using var interruption = new Interruption(signal =>
                Console.Error.WriteLine($"gq: {signal}: stopping after this step and writing a checkpoint (send it again to abort without one)"));
            var result = TrainPipeline.Run(options, new SynchronousProgress<TrainingEvent>(Render), interruption.Token);
            Console.WriteLine($"final model: {result.FinalModelPath} (step {result.FinalStep}" +
                              (result.SkippedImages > 0 ? $", {result.SkippedImages} unreadable images skipped)" : ")"));
            if (result.Communication is { Ranks: > 1, GradientBytes: var bytes, TimeInAllReduce: var time })
                Console.WriteLine(FormattableString.Invariant(
                    $"data-parallel over {result.Communication.Ranks} ranks: {bytes / 1e6:F1} MB of gradients all-reduced by rank 0 in {time.TotalSeconds:F2} s"));
            if (!result.Interrupted)
                return ExitCodes.Success;
            Console.Error.WriteLine($"gq: interrupted at step {result.FinalStep}; the checkpoint is written, continue with " +
                                    $"gq train --resume --out {result.RunDirectory}");
            return Interruption.ExitCode;
        }));
        return command;
    }

    private static void Render(TrainingEvent update)
    {
        switch (update)
        {
            case TrainingStarted started:
                Console.WriteLine($"training {started.Parameters:N0} parameters on {started.TrainingImages:N0} images, " +
                                  $"steps {started.FirstStep} → {started.MaxSteps}, run directory {started.RunDirectory}");
                break;
            case TrainingStepLogged { Metrics: var m }:
                string adversarial = m.Phase == TrainingPhase.Discriminator
                    ? FormattableString.Invariant($"  disc {m.DiscriminatorLoss:F4}")
                    : m.GeneratorLoss != 0 ? FormattableString.Invariant($"  g {m.GeneratorLoss:F4} dw {m.AdaptiveWeight:F3}") : "";
                string alignment = m.Alignment is { } vf
                    ? FormattableString.Invariant($"  vf {vf.Loss:F4} [{vf.DistanceMatrix:F4} + {vf.Cosine:F4}] vfw {vf.Weight:G4}") : "";
                Console.WriteLine(FormattableString.Invariant(
                    $"step {m.Step,7} ep {m.Epoch,3} {m.ImagesPerSecond,7:F1} img/s  loss {m.Loss,10:F4}  nll {m.Nll,10:F4}  rec {m.Reconstruction:F4}  kl {m.KlLoss,9:F2}  bits {m.Bits.Mean:F2} [{m.Bits.Min:F2}, {m.Bits.Max:F2}]  λ {m.Weights.Lambda:F3} λmin {m.Weights.LambdaMin:F3} λmax {m.Weights.LambdaMax:F3}  logvar {m.LogVariance:F3}{adversarial}{alignment}{OtherTerms(m)}"));
                break;
            case SamplesWritten samples:
                Console.WriteLine(samples.WindowTokens == 0 ? $"samples: {samples.GridPath}" : FormattableString.Invariant(
                    $"samples: {samples.GridPath}  codebook usage {samples.CodebookUsage:P1}, entropy {samples.TokenEntropyBits:F2} bits over the last {samples.WindowTokens:N0} tokens"));
                break;
            case CheckpointWritten checkpoint:
                Console.WriteLine($"checkpoint: {checkpoint.WeightsPath}");
                break;
            case TrainingImageSkipped skipped:
                Console.Error.WriteLine($"gq: warning: skipped {skipped.File}: {skipped.Reason} ({skipped.SkippedSoFar} so far)");
                break;
        }
    }

    /// <summary>The regularizer's terms besides its KL (VQ's codebook_loss, LFQ's entropy and commitment terms), if any.</summary>
    private static string OtherTerms(TrainingStepMetrics m) => string.Concat(m.RegularizationTerms
        .Where(term => term.Key is not ("kl_loss" or "kl"))
        .Select(term => FormattableString.Invariant($"  {term.Key} {term.Value:F4}")));
}

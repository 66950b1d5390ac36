using GaussQuant.Evaluation;
using GaussQuant.Imaging;
using GaussQuant.Experiments;
using GaussQuant.Models;

// Tokenizes one of the built-in model's sample images and decodes it from its tokens alone, as a user of the package
// would; exits 1 unless the tokens have the model's shape and range and the image comes back recognisable.
string sample = BuiltInModel.SampleImages()[0];
using var tokenizer = TokenizerModel.LoadBuiltIn();
using var images = ImageTensors.ToBatch([ImageDecoder.Decode(sample)]);
using var latent = tokenizer.Model.Quantize(images);
using var decoded = tokenizer.Model.DecodeTokens(latent.Indices);
double psnr = Psnr.PerImage(images, decoded.clamp(-1, 1))[0];
long[] shape = latent.Indices.shape;
long lowest = latent.Indices.min().item<long>(), highest = latent.Indices.max().item<long>();
Console.WriteLine($"{Path.GetFileName(sample)}: tokens [{string.Join(", ", shape)}] in [{lowest}, {highest}], PSNR {psnr:F2} dB");

// 64x64 pixels, one token of K = 4096 per 4x4 pixels. The model reconstructs its held-out images at 21.2 dB on average
// (models/default/README.md); 15 dB is far below any of its samples and far above what wrong weights or a wrong
// pixel mapping give (about 10 dB and less).
bool fits = shape.SequenceEqual(new long[] { 1, 1, 16, 16 }) && lowest >= 0 && highest < 4096 && psnr > 15;
Console.WriteLine(fits ? "consumer check passed" : "consumer check FAILED");
return fits ? 0 : 1;
